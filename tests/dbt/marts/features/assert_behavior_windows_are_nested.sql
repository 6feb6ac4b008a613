-- A 7-day window lies inside the 30-day one, which lies inside the 90-day one.
select lead_id, as_of_date
from {{ ref('feat_lead_behavior') }}
where
    page_views_7d > page_views_30d or page_views_30d > page_views_90d
    or sessions_7d > sessions_30d or sessions_30d > sessions_90d
    or active_days_7d > active_days_30d or active_days_30d > active_days_90d
    or active_days_7d > 7 or active_days_30d > 30 or active_days_90d > 90
    or emails_opened_30d > emails_opened_90d or emails_clicked_30d > emails_clicked_90d
    or days_since_last_visit < 1
