{{ config(materialized='table') }}

{#- Page views, tracks and email events of known people: one row per event with a lead_id.
    Web events take the person of their anonymous id (else user id) and carry their session
    and its bot flag; email events take the person of their recipient email first. Page paths
    get a content category (seed `page_categories`, longest matching path prefix). -#}
with

web_events as (
    select * from {{ ref('int_web_events_sessionized') }}
),

sessions as (
    select session_id, lead_id, is_bot from {{ ref('int_web_sessions') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

resolved as (
    select identifier, lead_id from {{ ref('int_identity_resolved') }}
    where lead_id is not null
),

page_categories as (
    select path_prefix, page_category from {{ ref('page_categories') }}
),

email_events as (
    select
        tracks.event_id,
        coalesce(by_email.lead_id, by_user_id.lead_id, by_anonymous_id.lead_id) as lead_id,
        tracks.anonymous_id,
        tracks.user_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        'tracks' as event_source,
        'email' as event_type,
        tracks.event_name,
        tracks.page_path,
        tracks.form_id,
        tracks.campaign_id,
        false as is_bot,
        tracks.event_at
    from tracks
    left join resolved as by_email on by_email.identifier = 'email:' || lower(trim(tracks.email))
    left join resolved as by_user_id on by_user_id.identifier = 'user:' || tracks.user_id
    left join resolved as by_anonymous_id on by_anonymous_id.identifier = 'anon:' || tracks.anonymous_id
    where tracks.event_name in ({{ "'" ~ email_event_names() | join("', '") ~ "'" }})
),

session_events as (
    select
        web_events.event_id,
        sessions.lead_id,
        web_events.anonymous_id,
        web_events.user_id,
        web_events.session_id,
        web_events.event_source,
        web_events.event_type,
        web_events.event_name,
        web_events.page_path,
        web_events.form_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        sessions.is_bot,
        web_events.event_at
    from web_events
    inner join sessions on sessions.session_id = web_events.session_id
),

events as (
    select * from session_events
    union all
    select * from email_events
),

paths as (
    select distinct page_path from events where page_path is not null
),

path_categories as (
    select
        paths.page_path,
        page_categories.page_category,
        row_number() over (
            partition by paths.page_path order by length(page_categories.path_prefix) desc
        ) as match_rank
    from paths
    inner join page_categories
        on paths.page_path = page_categories.path_prefix
        or (
            page_categories.path_prefix <> '/'
            and paths.page_path like page_categories.path_prefix || '/%'
        )
),

final as (
    select
        events.event_id,
        events.lead_id,
        events.anonymous_id,
        events.user_id,
        events.session_id,
        events.event_source,
        events.event_type,
        events.event_name,
        events.page_path,
        coalesce(path_categories.page_category, 'other') as page_category,
        events.form_id,
        events.campaign_id,
        {{ is_form_submission('events.event_name', 'events.form_id') }} as is_form_submission,
        events.is_bot,
        events.event_at,
        cast(events.event_at as date) as event_date
    from events
    left join path_categories
        on path_categories.page_path = events.page_path and path_categories.match_rank = 1
    where events.lead_id is not null
)

select * from final
