{{
    config(
        materialized='incremental',
        unique_key='visitor_id',
        incremental_strategy=replace_keys_strategy(),
        full_refresh=replace_keys_full_refresh(),
        on_schema_change='append_new_columns',
    )
}}

{#- One row per web session (see int_web_events_sessionized for the cut). Landing/exit page
    are the first/last page views; source, UTM and user agent come from the session's first
    event. A session is a bot when its user agent matches a `bot_user_agents` pattern or it
    viewed more than `bot_max_pages_per_minute` pages per minute (over at least a minute).

    Incremental: a run rebuilds the sessions of every visitor int_web_events_sessionized
    re-sessionized since (events processed later than this table's latest), and of every
    visitor whose person (lead_id) changed since, so it equals a full refresh. -#}
with

all_events as (
    select * from {{ ref('int_web_events_sessionized') }}
),

bot_patterns as (
    select lower(pattern) as pattern from {{ ref('bot_user_agents') }}
),

resolved as (
    select identifier, lead_id from {{ ref('int_identity_resolved') }}
    where lead_id is not null
),

visitor_people as (
    select
        visitor_events.visitor_id,
        coalesce(by_anonymous_id.lead_id, by_user_id.lead_id) as lead_id
    from (
        select visitor_id, max(anonymous_id) as anonymous_id, max(user_id) as user_id
        from all_events
        group by visitor_id
    ) as visitor_events
    left join resolved as by_anonymous_id
        on by_anonymous_id.identifier = 'anon:' || visitor_events.anonymous_id
    left join resolved as by_user_id
        on by_user_id.identifier = 'user:' || visitor_events.user_id
),

{% if is_incremental() %}

touched_visitors as (
    select visitor_id
    from all_events
    where processed_at > coalesce(
        (select max(events_processed_at) from {{ this }}),
        cast('1900-01-01' as {{ dbt.type_timestamp() }})
    )
    union
    select visitor_people.visitor_id
    from visitor_people
    inner join (select distinct visitor_id, lead_id from {{ this }}) as previous
        on previous.visitor_id = visitor_people.visitor_id
    where previous.lead_id is distinct from visitor_people.lead_id
),

events as (
    select all_events.*
    from all_events
    inner join touched_visitors on touched_visitors.visitor_id = all_events.visitor_id
),

{% else %}

events as (
    select * from all_events
),

{% endif %}

sessions as (
    select
        session_id,
        visitor_id,
        max(anonymous_id) as anonymous_id,
        max(user_id) as user_id,
        max(processed_at) as events_processed_at,
        min(session_number) as session_number,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as event_count,
        count(case when event_type = 'page_view' then 1 end) as page_count,
        count(case when event_type = 'track' then 1 end) as track_count,
        max(case when page_number_in_session = 1 then page_path end) as landing_page_path,
        max(case when page_number_from_end = 1 then page_path end) as exit_page_path,
        max(case when event_number_in_session = 1 then page_path end) as first_event_page_path,
        max(case when event_number_from_end = 1 then page_path end) as last_event_page_path,
        max(case when event_number_in_session = 1 then page_host end) as page_host,
        max(case when event_number_in_session = 1 then referrer end) as referrer,
        max(case when event_number_in_session = 1 then referrer_host end) as referrer_host,
        max(case when event_number_in_session = 1 then utm_source end) as utm_source,
        max(case when event_number_in_session = 1 then utm_medium end) as utm_medium,
        max(case when event_number_in_session = 1 then utm_campaign end) as utm_campaign,
        max(case when event_number_in_session = 1 then utm_term end) as utm_term,
        max(case when event_number_in_session = 1 then utm_content end) as utm_content,
        max(case when event_number_in_session = 1 then user_agent end) as user_agent
    from events
    group by session_id, visitor_id
),

bot_user_agent_sessions as (
    select distinct sessions.session_id
    from sessions
    inner join bot_patterns
        on {{ dbt.position('bot_patterns.pattern', 'lower(sessions.user_agent)') }} > 0
),

measured as (
    select
        sessions.*,
        {{ dbt.datediff('sessions.started_at', 'sessions.ended_at', 'second') }} as duration_in_s,
        bot_user_agent_sessions.session_id is not null as is_bot_user_agent
    from sessions
    left join bot_user_agent_sessions on bot_user_agent_sessions.session_id = sessions.session_id
),

final as (
    select
        measured.session_id,
        measured.visitor_id,
        measured.anonymous_id,
        measured.user_id,
        visitor_people.lead_id,
        measured.session_number,
        coalesce(measured.landing_page_path, measured.first_event_page_path) as landing_page_path,
        coalesce(measured.exit_page_path, measured.last_event_page_path) as exit_page_path,
        measured.referrer_host,
        {{ referrer_class('measured.utm_medium', 'measured.referrer_host', 'measured.page_host') }}
            as referrer_class,
        measured.utm_source,
        measured.utm_medium,
        measured.utm_campaign,
        measured.utm_term,
        measured.utm_content,
        measured.user_agent,
        measured.event_count,
        measured.page_count,
        measured.track_count,
        measured.duration_in_s,
        cast(measured.page_count as {{ type_double() }})
            / (case when measured.duration_in_s < 60 then 60 else measured.duration_in_s end / 60.0)
            as pages_per_minute,
        measured.is_bot_user_agent,
        measured.is_bot_user_agent
            or cast(measured.page_count as {{ type_double() }})
            / (case when measured.duration_in_s < 60 then 60 else measured.duration_in_s end / 60.0)
            > {{ var('bot_max_pages_per_minute') }} as is_bot,
        measured.started_at,
        measured.ended_at,
        measured.events_processed_at
    from measured
    left join visitor_people on visitor_people.visitor_id = measured.visitor_id
)

select * from final
