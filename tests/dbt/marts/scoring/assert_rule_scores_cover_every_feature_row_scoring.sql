-- int_lead_rule_scores (the rule scores) holds exactly one row per (lead, as-of date) of
-- int_lead_features_wide: every snapshot date is scored, none is invented.
with

features as (
    select lead_id, as_of_date from {{ ref('int_lead_features_wide') }}
),

rule_scores as (
    select lead_id, as_of_date from {{ ref('int_lead_rule_scores') }}
)

select features.lead_id, features.as_of_date, 'not scored' as problem
from features
left join rule_scores
    on rule_scores.lead_id = features.lead_id and rule_scores.as_of_date = features.as_of_date
where rule_scores.lead_id is null
union all
select rule_scores.lead_id, rule_scores.as_of_date, 'no feature row' as problem
from rule_scores
left join features
    on features.lead_id = rule_scores.lead_id and features.as_of_date = rule_scores.as_of_date
where features.lead_id is null
