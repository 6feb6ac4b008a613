{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per as_of_date: what the person did, in windows [as_of − N days, as_of)
    for N = 7, 30, 90. Only events strictly before the as-of date count, so a past date can be
    replayed. Bot sessions are left out. -#}
{%- set windows = [7, 30, 90] -%}
{%- set email_measures = {
    'emails_delivered': "'email_delivered'",
    'emails_opened': "'email_opened'",
    'emails_clicked': "'email_link_clicked'",
    'emails_bounced': "'email_bounced'",
    'emails_unsubscribed': "'unsubscribed'",
} -%}
{%- set page_categories = ['pricing', 'demo', 'docs', 'careers'] -%}
{%- set conversion_events = {
    'demo_requests': "'demo_requested'",
    'trial_starts': "'trial_started'",
    'webinar_registrations': "'webinar_registered'",
} -%}

with

people as (
    select lead_id from {{ ref('int_people') }}
    where created_at < {{ as_of_timestamp() }}
),

events as (
    select * from {{ ref('int_lead_events') }}
    where event_at < {{ as_of_timestamp() }} and not is_bot
),

recent_events as (
    select
        *,
        {%- for days in [7, 30, 60, 90] %}
        event_at >= {{ as_of_window_start(days) }} as is_within_{{ days }}d{{ "," if not loop.last }}
        {%- endfor %}
    from events
    where event_at >= {{ as_of_window_start(90) }}
),

windowed as (
    select
        lead_id,
        {%- for days in windows %}
        count(case when is_within_{{ days }}d and event_type = 'page_view' then 1 end) as page_views_{{ days }}d,
        count(distinct case when is_within_{{ days }}d and event_type <> 'email' then session_id end) as sessions_{{ days }}d,
        count(distinct case when is_within_{{ days }}d and event_type <> 'email' then event_date end) as active_days_{{ days }}d,
        {%- endfor %}
        count(case when is_within_60d and not is_within_30d and event_type = 'page_view' then 1 end) as page_views_prev_30d,
        {%- for category in page_categories %}
        count(case when is_within_30d and event_type = 'page_view' and page_category = '{{ category }}' then 1 end)
            as {{ category }}_page_views_30d,
        {%- endfor %}
        {%- for measure, event_name in email_measures.items() %}
        count(case when is_within_30d and event_name = {{ event_name }} then 1 end) as {{ measure }}_30d,
        count(case when event_name = {{ event_name }} then 1 end) as {{ measure }}_90d,
        {%- endfor %}
        {%- for measure, event_name in conversion_events.items() %}
        count(case when event_name = {{ event_name }} then 1 end) as {{ measure }}_90d,
        {%- endfor %}
        count(case when is_form_submission then 1 end) as form_submissions_90d
    from recent_events
    group by lead_id
),

last_visits as (
    select lead_id, max(event_at) as last_visit_at
    from events
    where event_type <> 'email'
    group by lead_id
),

final as (
    select
        people.lead_id,
        {{ as_of_date() }} as as_of_date,
        {%- for days in windows %}
        cast(coalesce(windowed.page_views_{{ days }}d, 0) as bigint) as page_views_{{ days }}d,
        cast(coalesce(windowed.sessions_{{ days }}d, 0) as bigint) as sessions_{{ days }}d,
        cast(coalesce(windowed.active_days_{{ days }}d, 0) as bigint) as active_days_{{ days }}d,
        {%- endfor %}
        cast(coalesce(windowed.page_views_prev_30d, 0) as bigint) as page_views_prev_30d,
        {%- for category in page_categories %}
        cast(coalesce(windowed.{{ category }}_page_views_30d, 0) as bigint) as {{ category }}_page_views_30d,
        {%- endfor %}
        cast(coalesce(windowed.form_submissions_90d, 0) as bigint) as form_submissions_90d,
        {%- for measure in conversion_events %}
        cast(coalesce(windowed.{{ measure }}_90d, 0) as bigint) as {{ measure }}_90d,
        {%- endfor %}
        {%- for measure in email_measures %}
        cast(coalesce(windowed.{{ measure }}_30d, 0) as bigint) as {{ measure }}_30d,
        cast(coalesce(windowed.{{ measure }}_90d, 0) as bigint) as {{ measure }}_90d,
        {%- endfor %}
        cast(
            {{ dbt.datediff('cast(last_visits.last_visit_at as date)', as_of_date(), 'day') }}
            as bigint
        ) as days_since_last_visit,
        cast(
            case
                when coalesce(windowed.page_views_30d, 0) = 0 and coalesce(windowed.page_views_prev_30d, 0) = 0
                    then 'inactive'
                when coalesce(windowed.page_views_prev_30d, 0) = 0 then 'new'
                when windowed.page_views_30d > windowed.page_views_prev_30d then 'rising'
                when windowed.page_views_30d < windowed.page_views_prev_30d then 'falling'
                else 'steady'
            end as {{ dbt.type_string() }}
        ) as page_view_trend,
        cast(last_visits.last_visit_at as {{ dbt.type_timestamp() }}) as last_visit_at
    from people
    left join windowed on windowed.lead_id = people.lead_id
    left join last_visits on last_visits.lead_id = people.lead_id
)

select * from final
