-- first_mql_date is never after the row's as-of date and is set whenever the lead is an MQL
-- on that date. (It may differ between dates kept from runs with different snapshot dates,
-- e.g. after replaying a past date, so it is not compared across rows.)
select lead_id, as_of_date, is_mql, first_mql_date
from {{ ref('fct_lead_scores') }}
where
    first_mql_date > as_of_date
    or (is_mql and first_mql_date is null)
