with

base as (

    select * from {{ ref('base_salesforce__opportunity') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by opportunity_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        opportunity_id,
        account_id,
        campaign_id,
        opportunity_name,
        stage_name,
        opportunity_type,
        lead_source,
        owner_id,
        amount_usd,
        probability,
        is_closed,
        is_won,
        close_date,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
