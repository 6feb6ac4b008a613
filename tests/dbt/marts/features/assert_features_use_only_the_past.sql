-- Features are computed from events strictly before the as-of date: the last visit
-- counted is before it, and nobody is featured before they appeared.
select behavior.lead_id, behavior.as_of_date
from {{ ref('feat_lead_behavior') }} as behavior
where behavior.last_visit_at >= cast(behavior.as_of_date as {{ dbt.type_timestamp() }})
