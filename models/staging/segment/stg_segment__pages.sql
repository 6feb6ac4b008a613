with

base as (

    select * from {{ ref('base_segment__pages') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by event_id
            order by {{ segment_earliest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        event_id,
        anonymous_id,
        user_id,
        page_url,
        page_path,
        page_title,
        referrer,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        ip_address,
        user_agent,
        event_at,
        received_at,

        -- custom fields
        {{ select_custom_fields('segment', 'pages') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from final
