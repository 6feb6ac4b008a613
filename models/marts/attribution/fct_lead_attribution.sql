{#- First-touch and last-touch web attribution per person: the first and the last human
    (not bot) session before the person converted (or before the as-of date when the person
    has not converted). One row per person with at least one such session. -#}
with

sessions as (
    select * from {{ ref('int_web_sessions') }}
    where lead_id is not null and not is_bot
),

people as (
    select lead_id, converted_at from {{ ref('int_people') }}
),

touches as (
    select
        sessions.*,
        people.converted_at,
        row_number() over (
            partition by sessions.lead_id order by sessions.started_at, sessions.session_id
        ) as touch_rank_first,
        row_number() over (
            partition by sessions.lead_id order by sessions.started_at desc, sessions.session_id desc
        ) as touch_rank_last,
        count(*) over (partition by sessions.lead_id) as touch_count
    from sessions
    inner join people on people.lead_id = sessions.lead_id
    where
        sessions.started_at < {{ as_of_timestamp() }}
        and (people.converted_at is null or sessions.started_at < people.converted_at)
),

final as (
    select
        first_touch.lead_id,
        cast(first_touch.converted_at as {{ dbt.type_timestamp() }}) as converted_at,
        cast(first_touch.touch_count as bigint) as touch_session_count,
        first_touch.session_id as first_touch_session_id,
        cast(first_touch.started_at as {{ dbt.type_timestamp() }}) as first_touch_at,
        cast(first_touch.referrer_class as {{ dbt.type_string() }}) as first_touch_referrer_class,
        cast(first_touch.utm_source as {{ dbt.type_string() }}) as first_touch_utm_source,
        cast(first_touch.utm_medium as {{ dbt.type_string() }}) as first_touch_utm_medium,
        cast(first_touch.utm_campaign as {{ dbt.type_string() }}) as first_touch_utm_campaign,
        cast(first_touch.landing_page_path as {{ dbt.type_string() }}) as first_touch_landing_page_path,
        last_touch.session_id as last_touch_session_id,
        cast(last_touch.started_at as {{ dbt.type_timestamp() }}) as last_touch_at,
        cast(last_touch.referrer_class as {{ dbt.type_string() }}) as last_touch_referrer_class,
        cast(last_touch.utm_source as {{ dbt.type_string() }}) as last_touch_utm_source,
        cast(last_touch.utm_medium as {{ dbt.type_string() }}) as last_touch_utm_medium,
        cast(last_touch.utm_campaign as {{ dbt.type_string() }}) as last_touch_utm_campaign,
        cast(last_touch.landing_page_path as {{ dbt.type_string() }}) as last_touch_landing_page_path,
        {{ as_of_date() }} as as_of_date
    from touches as first_touch
    inner join touches as last_touch
        on last_touch.lead_id = first_touch.lead_id and last_touch.touch_rank_last = 1
    where first_touch.touch_rank_first = 1
)

select * from final
