-- Seed scoring_rules is used as the models read it: only engagement rules decay, a recency
-- column is a `days_since_last_…` feature, caps are positive, and a cap only means something
-- on a rule that can exceed it (a quantity rule, or points above the cap).
select rule_id, score_type, recency_column, quantity_column, cap, points
from {{ ref('scoring_rules') }}
where
    (recency_column is not null and score_type <> 'engagement')
    or (recency_column is not null and recency_column not like 'days_since_last%')
    or cap <= 0
    or (cap is not null and quantity_column is null and abs(points) <= cap)
