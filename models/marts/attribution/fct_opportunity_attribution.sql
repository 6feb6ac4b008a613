{#- First-touch and last-touch web attribution per opportunity: the first and the last human
    (not bot) session, before the opportunity was created, of the people linked to it
    (int_lead_opportunities: its converted lead, its contact roles, its account's people).
    One row per opportunity with at least one such session. -#}
with

sessions as (
    select * from {{ ref('int_web_sessions') }}
    where lead_id is not null and not is_bot
),

opportunity_people as (
    select * from {{ ref('int_lead_opportunities') }}
),

touches as (
    select
        opportunity_people.opportunity_id,
        opportunity_people.account_id,
        opportunity_people.created_at as opportunity_created_at,
        opportunity_people.link_type,
        sessions.*,
        row_number() over (
            partition by opportunity_people.opportunity_id
            order by sessions.started_at, sessions.session_id
        ) as touch_rank_first,
        row_number() over (
            partition by opportunity_people.opportunity_id
            order by sessions.started_at desc, sessions.session_id desc
        ) as touch_rank_last,
        count(*) over (partition by opportunity_people.opportunity_id) as touch_count
    from opportunity_people
    inner join sessions on sessions.lead_id = opportunity_people.lead_id
    where sessions.started_at < opportunity_people.created_at
),

final as (
    select
        first_touch.opportunity_id,
        first_touch.account_id,
        cast(first_touch.opportunity_created_at as {{ dbt.type_timestamp() }}) as opportunity_created_at,
        cast(first_touch.touch_count as bigint) as touch_session_count,
        first_touch.session_id as first_touch_session_id,
        first_touch.lead_id as first_touch_lead_id,
        cast(first_touch.link_type as {{ dbt.type_string() }}) as first_touch_link_type,
        cast(first_touch.started_at as {{ dbt.type_timestamp() }}) as first_touch_at,
        cast(first_touch.referrer_class as {{ dbt.type_string() }}) as first_touch_referrer_class,
        cast(first_touch.utm_source as {{ dbt.type_string() }}) as first_touch_utm_source,
        cast(first_touch.utm_medium as {{ dbt.type_string() }}) as first_touch_utm_medium,
        cast(first_touch.utm_campaign as {{ dbt.type_string() }}) as first_touch_utm_campaign,
        last_touch.session_id as last_touch_session_id,
        last_touch.lead_id as last_touch_lead_id,
        cast(last_touch.link_type as {{ dbt.type_string() }}) as last_touch_link_type,
        cast(last_touch.started_at as {{ dbt.type_timestamp() }}) as last_touch_at,
        cast(last_touch.referrer_class as {{ dbt.type_string() }}) as last_touch_referrer_class,
        cast(last_touch.utm_source as {{ dbt.type_string() }}) as last_touch_utm_source,
        cast(last_touch.utm_medium as {{ dbt.type_string() }}) as last_touch_utm_medium,
        cast(last_touch.utm_campaign as {{ dbt.type_string() }}) as last_touch_utm_campaign
    from touches as first_touch
    inner join touches as last_touch
        on last_touch.opportunity_id = first_touch.opportunity_id and last_touch.touch_rank_last = 1
    where first_touch.touch_rank_first = 1
)

select * from final
