-- Every score component belongs to a scored lead on the same as-of date.
select components.lead_id, components.as_of_date, components.rule_id
from {{ ref('fct_lead_score_components') }} as components
left join {{ ref('fct_lead_scores') }} as scores
    on scores.lead_id = components.lead_id and scores.as_of_date = components.as_of_date
where scores.lead_id is null
