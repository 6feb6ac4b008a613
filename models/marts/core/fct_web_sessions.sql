{#- One row per web session (a visitor's — browser's, else user id's — run of page views and tracks without a
    `session_gap_minutes` pause or a campaign change). No PII: no IP, no user agent. -#}
with

sessions as (
    select * from {{ ref('int_web_sessions') }}
),

final as (
    select
        session_id,
        cast(visitor_id as {{ dbt.type_string() }}) as visitor_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        lead_id,
        cast(landing_page_path as {{ dbt.type_string() }}) as landing_page_path,
        cast(exit_page_path as {{ dbt.type_string() }}) as exit_page_path,
        cast(referrer_class as {{ dbt.type_string() }}) as referrer_class,
        cast(referrer_host as {{ dbt.type_string() }}) as referrer_host,
        cast(utm_source as {{ dbt.type_string() }}) as utm_source,
        cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
        cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,
        cast(session_number as bigint) as session_number,
        cast(page_count as bigint) as page_count,
        cast(event_count as bigint) as event_count,
        cast(track_count as bigint) as track_count,
        cast(duration_in_s as bigint) as duration_in_s,
        is_bot,
        is_bot_user_agent,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(started_at as date) as session_date
    from sessions
)

select * from final
