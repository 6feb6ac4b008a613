with

base as (

    select * from {{ ref('base_salesforce__account') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by account_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        account_id,
        account_name,
        website,
        website_domain,
        industry,
        account_type,
        billing_country_code,
        billing_state,
        billing_city,
        owner_id,
        parent_account_id,
        number_of_employees,
        annual_revenue_usd,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'account') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
