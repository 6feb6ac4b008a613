-- Every fit, engagement and lead score equals exactly the sum of its components, on every
-- as-of date kept. Returns the leads where they differ.
with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

components as (
    select
        lead_id,
        as_of_date,
        sum(case when score_type = 'fit' then points else 0 end) as fit_points,
        sum(case when score_type = 'engagement' then points else 0 end) as engagement_points,
        sum(points) as total_points
    from {{ ref('fct_lead_score_components') }}
    group by lead_id, as_of_date
)

select
    scores.lead_id,
    scores.as_of_date,
    scores.fit_score,
    scores.engagement_score,
    scores.lead_score,
    components.fit_points,
    components.engagement_points
from scores
left join components
    on components.lead_id = scores.lead_id and components.as_of_date = scores.as_of_date
where
    scores.fit_score <> coalesce(components.fit_points, 0)
    or scores.engagement_score <> coalesce(components.engagement_points, 0)
    or scores.lead_score <> coalesce(components.total_points, 0)
