-- Every component's points are its raw points decayed (factor in (0, 1]) and rounded, held
-- within ±cap: never further from zero than the raw points (plus rounding) or the cap.
select lead_id, as_of_date, rule_id, raw_points, decay_factor, cap, points
from {{ ref('fct_lead_score_components') }}
where
    decay_factor <= 0
    or decay_factor > 1
    or abs(points) > abs(raw_points) + 0.005
    or (cap is not null and abs(points) > cap)
    or (recency_days is null and decay_factor <> 1)
    or (score_type = 'fit' and decay_factor <> 1)
