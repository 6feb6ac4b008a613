with

base as (

    select * from {{ ref('base_salesforce__contact') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by contact_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        contact_id,
        account_id,
        email,
        email_domain,
        first_name,
        last_name,
        title,
        department,
        lead_source,
        country_code,
        state,
        city,
        owner_id,
        has_opted_out_of_email,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'contact') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
