with

base as (

    select * from {{ ref('base_salesforce__lead') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by lead_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        lead_id,
        email,
        email_domain,
        first_name,
        last_name,
        title,
        company,
        website,
        industry,
        lead_source,
        status,
        rating,
        country_code,
        state,
        city,
        owner_id,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        number_of_employees,
        annual_revenue_usd,
        is_converted,
        has_opted_out_of_email,
        converted_date,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'lead') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
