with

base as (

    select * from {{ ref('base_salesforce__campaign') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by campaign_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        campaign_id,
        parent_campaign_id,
        campaign_name,
        campaign_type,
        status,
        budgeted_cost_usd,
        actual_cost_usd,
        is_active,
        start_date,
        end_date,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'campaign') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
