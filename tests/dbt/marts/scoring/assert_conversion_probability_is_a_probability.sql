select lead_id, as_of_date, conversion_probability
from {{ ref('fct_lead_scores') }}
where conversion_probability < 0 or conversion_probability > 1
