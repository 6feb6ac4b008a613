with

base as (

    select * from {{ ref('base_segment__users') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by user_id
            order by {{ segment_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        user_id,
        email,
        email_domain,
        first_name,
        last_name,
        company,
        title,
        received_at,

        -- custom fields
        {{ select_custom_fields('segment', 'users') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from final
