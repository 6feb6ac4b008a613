with

base as (

    select * from {{ ref('base_salesforce__opportunity_contact_role') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by opportunity_contact_role_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        opportunity_contact_role_id,
        opportunity_id,
        contact_id,
        role,
        is_primary,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity_contact_role') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
