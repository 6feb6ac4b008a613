{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per snapshot date (feature_snapshots: the as-of date and earlier ones):
    what the person did in windows [as_of − N days, as_of) for N = 7, 30, 90, and how long
    ago each kind of intent signal last happened (for score decay). Only events strictly
    before the snapshot's midnight count, so a past date can be replayed. Bot sessions are
    left out. -#}
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
{#- recency column → the condition on an event that makes it that signal -#}
{%- set recency_signals = {
    'days_since_last_visit': "event_type <> 'email'",
    'days_since_last_pricing_view': "event_type = 'page_view' and page_category = 'pricing'",
    'days_since_last_demo_page_view': "event_type = 'page_view' and page_category = 'demo'",
    'days_since_last_docs_view': "event_type = 'page_view' and page_category = 'docs'",
    'days_since_last_demo_request': "event_name = 'demo_requested'",
    'days_since_last_trial_start': "event_name = 'trial_started'",
    'days_since_last_webinar_registration': "event_name = 'webinar_registered'",
    'days_since_last_form_submission': "is_form_submission",
    'days_since_last_email_click': "event_name = 'email_link_clicked'",
    'days_since_last_email_open': "event_name = 'email_opened'",
} -%}

with

snapshots as (
    {{ feature_snapshots() }}
),

people as (
    select people.lead_id, snapshots.as_of_date
    from {{ ref('int_people') }} as people
    inner join snapshots on people.created_at < snapshots.as_of_at
),

events as (
    select
        events.*,
        snapshots.as_of_date,
        {%- for days in [7, 30, 60, 90] %}
        events.event_at >= {{ dbt.dateadd('day', -1 * days, 'snapshots.as_of_at') }} as is_within_{{ days }}d,
        {%- endfor %}
        {{ dbt.datediff('events.event_date', 'snapshots.as_of_date', 'day') }} as days_before_as_of
    from {{ ref('int_lead_events') }} as events
    inner join snapshots on events.event_at < snapshots.as_of_at
    where not events.is_bot
),

aggregated as (
    select
        lead_id,
        as_of_date,
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
        count(case when is_within_90d and event_name = {{ event_name }} then 1 end) as {{ measure }}_90d,
        {%- endfor %}
        {%- for measure, event_name in conversion_events.items() %}
        count(case when is_within_90d and event_name = {{ event_name }} then 1 end) as {{ measure }}_90d,
        {%- endfor %}
        count(case when is_within_90d and is_form_submission then 1 end) as form_submissions_90d,
        {%- for column, condition in recency_signals.items() %}
        min(case when {{ condition }} then days_before_as_of end) as {{ column }},
        {%- endfor %}
        max(case when event_type <> 'email' then event_at end) as last_visit_at
    from events
    group by lead_id, as_of_date
),

final as (
    select
        people.lead_id,
        people.as_of_date,
        {%- for days in windows %}
        cast(coalesce(aggregated.page_views_{{ days }}d, 0) as bigint) as page_views_{{ days }}d,
        cast(coalesce(aggregated.sessions_{{ days }}d, 0) as bigint) as sessions_{{ days }}d,
        cast(coalesce(aggregated.active_days_{{ days }}d, 0) as bigint) as active_days_{{ days }}d,
        {%- endfor %}
        cast(coalesce(aggregated.page_views_prev_30d, 0) as bigint) as page_views_prev_30d,
        {%- for category in page_categories %}
        cast(coalesce(aggregated.{{ category }}_page_views_30d, 0) as bigint) as {{ category }}_page_views_30d,
        {%- endfor %}
        cast(coalesce(aggregated.form_submissions_90d, 0) as bigint) as form_submissions_90d,
        {%- for measure in conversion_events %}
        cast(coalesce(aggregated.{{ measure }}_90d, 0) as bigint) as {{ measure }}_90d,
        {%- endfor %}
        {%- for measure in email_measures %}
        cast(coalesce(aggregated.{{ measure }}_30d, 0) as bigint) as {{ measure }}_30d,
        cast(coalesce(aggregated.{{ measure }}_90d, 0) as bigint) as {{ measure }}_90d,
        {%- endfor %}
        {%- for column in recency_signals %}
        cast(aggregated.{{ column }} as bigint) as {{ column }},
        {%- endfor %}
        cast(
            case
                when coalesce(aggregated.page_views_30d, 0) = 0 and coalesce(aggregated.page_views_prev_30d, 0) = 0
                    then 'inactive'
                when coalesce(aggregated.page_views_prev_30d, 0) = 0 then 'new'
                when aggregated.page_views_30d > aggregated.page_views_prev_30d then 'rising'
                when aggregated.page_views_30d < aggregated.page_views_prev_30d then 'falling'
                else 'steady'
            end as {{ dbt.type_string() }}
        ) as page_view_trend,
        cast(aggregated.last_visit_at as {{ dbt.type_timestamp() }}) as last_visit_at
    from people
    left join aggregated
        on aggregated.lead_id = people.lead_id and aggregated.as_of_date = people.as_of_date
)

select * from final
