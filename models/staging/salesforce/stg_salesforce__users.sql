with

base as (

    select * from {{ ref('base_salesforce__user') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by user_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        user_id,
        first_name,
        last_name,
        email,
        title,
        department,
        is_active,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'user') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from final
