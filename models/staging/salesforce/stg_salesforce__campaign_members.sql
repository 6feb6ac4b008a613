with

base as (

    select * from {{ ref('base_salesforce__campaign_member') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by campaign_member_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        campaign_member_id,
        campaign_id,
        lead_id,
        contact_id,
        status,
        has_responded,
        first_responded_date,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'campaign_member') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
