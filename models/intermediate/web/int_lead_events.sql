{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy=replace_keys_strategy(),
        full_refresh=replace_keys_full_refresh(),
        on_schema_change='append_new_columns',
        post_hook="{% if is_incremental() %}delete from {{ this }} where lead_id is null{% endif %}",
    )
}}

{#- Page views, tracks and email events of known people: one row per event with a lead_id.
    Web events take the person of their anonymous id (else user id) and carry their session
    and its bot flag; email events take the person of their recipient email first. Page paths
    get a content category (seed `page_categories`, longest matching path prefix).

    Incremental (delete+insert by event_id), equal to a full refresh. A run rewrites:
    - every web event of a visitor int_web_events_sessionized re-sessionized since this
      table's last run (`sessionized_at`): new events and late ones within its lookback;
    - every web event of a visitor with a session whose person or bot flag differs from the
      one stored here: an identity change (a merge, a new identify, an exclusion splitting a
      person) re-maps the visitor's earlier events too;
    - the email events whose person differs from the stored one, or that are new: their
      person comes from the recipient's email, which is not kept here, so every email event
      is resolved again (they need no sessions, and are a fraction of the web events).
    An event whose person is now unknown is written with a null lead_id, replacing its old
    row, and the post-hook removes it. -#}
with

web_events as (
    select *, processed_at as sessionized_at from {{ ref('int_web_events_sessionized') }}
),

sessions as (
    select session_id, visitor_id, lead_id, is_bot from {{ ref('int_web_sessions') }}
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
        tracks.event_at,
        cast(null as {{ dbt.type_timestamp() }}) as sessionized_at
    from tracks
    left join resolved as by_email on by_email.identifier = 'email:' || lower(trim(tracks.email))
    left join resolved as by_user_id on by_user_id.identifier = 'user:' || tracks.user_id
    left join resolved as by_anonymous_id on by_anonymous_id.identifier = 'anon:' || tracks.anonymous_id
    where tracks.event_name in ({{ "'" ~ email_event_names() | join("', '") ~ "'" }})
),

{% if is_incremental() %}
{#- A table built before this model was incremental has no sessionized_at: every visitor
    counts as re-sessionized once. -#}
{%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}

stored as (
    select * from {{ this }}
),

resessionized_visitors as (
    select visitor_id
    from web_events
    where sessionized_at > coalesce(
        {% if 'sessionized_at' in stored_columns -%}
        (select max(sessionized_at) from stored),
        {% endif -%}
        cast('1900-01-01' as {{ dbt.type_timestamp() }})
    )
),

stored_sessions as (
    select distinct
        session_id,
        case
            when anonymous_id is not null then 'anon:' || anonymous_id
            else 'user:' || user_id
        end as visitor_id,
        lead_id,
        is_bot
    from stored
    where session_id is not null
),

known_sessions as (
    select session_id, visitor_id, lead_id, is_bot
    from sessions
    where lead_id is not null
),

-- Sessions of a person here and not there, either way: an identity change, or a session
-- that was cut anew.
remapped_visitors as (
    select visitor_id from (
        select * from known_sessions
        except
        select * from stored_sessions
    ) as gained
    union
    select visitor_id from (
        select * from stored_sessions
        except
        select * from known_sessions
    ) as lost
),

touched_visitors as (
    select visitor_id from resessionized_visitors
    union
    select visitor_id from remapped_visitors
),

visitor_events as (
    select web_events.*
    from web_events
    inner join touched_visitors on touched_visitors.visitor_id = web_events.visitor_id
),

changed_email_events as (
    select email_events.*
    from email_events
    left join stored on stored.event_id = email_events.event_id
    where
        (stored.event_id is null and email_events.lead_id is not null)
        or (stored.event_id is not null and email_events.lead_id is null)
        or email_events.lead_id <> stored.lead_id
),

{% else %}

visitor_events as (
    select * from web_events
),

changed_email_events as (
    select * from email_events
),

{% endif %}

session_events as (
    select
        visitor_events.event_id,
        sessions.lead_id,
        visitor_events.anonymous_id,
        visitor_events.user_id,
        visitor_events.session_id,
        visitor_events.event_source,
        visitor_events.event_type,
        visitor_events.event_name,
        visitor_events.page_path,
        visitor_events.form_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        sessions.is_bot,
        visitor_events.event_at,
        visitor_events.sessionized_at
    from visitor_events
    inner join sessions on sessions.session_id = visitor_events.session_id
),

events as (
    select * from session_events
    union all
    select * from changed_email_events
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
        cast(events.event_at as date) as event_date,
        events.sessionized_at
    from events
    left join path_categories
        on path_categories.page_path = events.page_path and path_categories.match_rank = 1
    {% if is_incremental() %}
    -- null: the event's stored row is replaced by this one, which the post-hook removes
    left join stored on stored.event_id = events.event_id
    where events.lead_id is not null or stored.event_id is not null
    {% else %}
    where events.lead_id is not null
    {% endif %}
)

select * from final
