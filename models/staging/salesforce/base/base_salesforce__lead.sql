with

source as (

    select * from {{ source('salesforce', 'lead') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as lead_id,
        {{ sf_id_18('source.owner_id') }} as owner_id,
        {{ sf_id_18('source.converted_account_id') }} as converted_account_id,
        {{ sf_id_18('source.converted_contact_id') }} as converted_contact_id,
        {{ sf_id_18('source.converted_opportunity_id') }} as converted_opportunity_id,

        -- strings
        {{ normalize_email('source.email') }} as email,
        {{ email_domain('source.email') }} as email_domain,
        {{ clean_text('source.first_name') }} as first_name,
        {{ clean_text('source.last_name') }} as last_name,
        {{ clean_text('source.title') }} as title,
        {{ clean_text('source.company') }} as company,
        {{ clean_text('source.website') }} as website,
        {{ clean_text('source.phone') }} as phone,
        {{ clean_text('source.industry') }} as industry,
        {{ clean_text('source.lead_source') }} as lead_source,
        {{ clean_text('source.status') }} as status,
        {{ clean_text('source.rating') }} as rating,
        {{ clean_text('source.country') }} as country,
        country_aliases.iso2 as country_code,
        {{ clean_text('source.state') }} as state,
        {{ clean_text('source.city') }} as city,

        -- numbers
        {{ parse_integer('source.number_of_employees') }} as number_of_employees,
        {{ parse_number('source.annual_revenue') }} as annual_revenue_usd,

        -- booleans
        {{ parse_boolean('source.is_converted') }} as is_converted,
        {{ parse_boolean('source.has_opted_out_of_email') }} as has_opted_out_of_email,
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- dates
        {{ parse_date('source.converted_date') }} as converted_date,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'lead', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.owner_id as owner_id__raw,
        source.converted_account_id as converted_account_id__raw,
        source.converted_contact_id as converted_contact_id__raw,
        source.converted_opportunity_id as converted_opportunity_id__raw,
        source.number_of_employees as number_of_employees__raw,
        source.annual_revenue as annual_revenue__raw,
        source.is_converted as is_converted__raw,
        source.has_opted_out_of_email as has_opted_out_of_email__raw,
        source.converted_date as converted_date__raw,
        source.is_deleted as is_deleted__raw,
        source.created_date as created_date__raw,
        source.last_modified_date as last_modified_date__raw,
        source.system_modstamp as system_modstamp__raw,

        -- lineage
        source._file_path,
        source._file_row_number,
        source._load_id,
        source._loaded_at

    from source
    left join country_aliases
        on country_aliases.alias = {{ country_alias_key('source.country') }}

),

checked as (

    select
        -- ids
        lead_id,
        owner_id,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,

        -- strings
        email,
        email_domain,
        first_name,
        last_name,
        title,
        company,
        website,
        phone,
        industry,
        lead_source,
        status,
        rating,
        country,
        country_code,
        state,
        city,

        -- numbers
        number_of_employees,
        annual_revenue_usd,

        -- booleans
        is_converted,
        has_opted_out_of_email,
        is_deleted,

        -- dates
        converted_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'lead') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'lead_id', problem='invalid'),
            check_parsed('owner_id', 'owner_id__raw', 'owner_id', problem='invalid'),
            check_parsed('converted_account_id', 'converted_account_id__raw', 'converted_account_id', problem='invalid'),
            check_parsed('converted_contact_id', 'converted_contact_id__raw', 'converted_contact_id', problem='invalid'),
            check_parsed('converted_opportunity_id', 'converted_opportunity_id__raw', 'converted_opportunity_id', problem='invalid'),
            check_parsed('number_of_employees', 'number_of_employees__raw', 'number_of_employees'),
            check_not_negative('number_of_employees', 'number_of_employees__raw', 'number_of_employees'),
            check_parsed('annual_revenue', 'annual_revenue__raw', 'annual_revenue_usd'),
            check_not_negative('annual_revenue', 'annual_revenue__raw', 'annual_revenue_usd'),
            check_parsed('is_converted', 'is_converted__raw', 'is_converted'),
            check_parsed('has_opted_out_of_email', 'has_opted_out_of_email__raw', 'has_opted_out_of_email'),
            check_parsed('converted_date', 'converted_date__raw', 'converted_date'),
            check_not_future('converted_date', 'converted_date__raw', 'converted_date'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(lead_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(owner_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(converted_account_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(converted_contact_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(converted_opportunity_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(email as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(email_domain as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(first_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(last_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(title as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(company as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(website as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(phone as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(industry as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(lead_source as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(status as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(rating as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(country as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(country_code as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(state as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(city as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(number_of_employees as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(annual_revenue_usd as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_converted as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(has_opted_out_of_email as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_deleted as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(converted_date as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(created_at as " ~ dbt.type_string() ~ "), '')",
        ] | join(', ') ~ ")") }} as _content_hash

    from parsed

),

-- Versions of one record with the same modstamps are a tie; when their values differ
-- the data conflicts, and only the tie-break winner (latest load, then file, then row)
-- may be staged.
ties as (

    select
        *,
        row_number() over tie as _tie_rank,
        first_value(_file_path) over tie as _tie_winner_file_path,
        first_value(_file_row_number) over tie as _tie_winner_file_row_number,
        first_value(_content_hash) over tie as _tie_winner_content_hash
    from checked
    window tie as (
        partition by lead_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        lead_id,
        owner_id,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,

        -- strings
        email,
        email_domain,
        first_name,
        last_name,
        title,
        company,
        website,
        phone,
        industry,
        lead_source,
        status,
        rating,
        country,
        country_code,
        state,
        city,

        -- numbers
        number_of_employees,
        annual_revenue_usd,

        -- booleans
        is_converted,
        has_opted_out_of_email,
        is_deleted,

        -- dates
        converted_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'lead') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and lead_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
