with

source as (

    select * from {{ source('salesforce', 'account') }}

),

country_aliases as (

    select * from {{ ref('country_aliases') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as account_id,
        {{ sf_id_18('source.owner_id') }} as owner_id,
        {{ sf_id_18('source.parent_id') }} as parent_account_id,

        -- strings
        {{ clean_text('source.name') }} as account_name,
        {{ clean_text('source.website') }} as website,
        {{ parse_url_host('source.website') }} as website_domain,
        {{ clean_text('source.industry') }} as industry,
        {{ clean_text('source.type') }} as account_type,
        {{ clean_text('source.phone') }} as phone,
        {{ clean_text('source.billing_country') }} as billing_country,
        country_aliases.iso2 as billing_country_code,
        {{ clean_text('source.billing_state') }} as billing_state,
        {{ clean_text('source.billing_city') }} as billing_city,

        -- numbers
        {{ parse_integer('source.number_of_employees') }} as number_of_employees,
        {{ parse_number('source.annual_revenue') }} as annual_revenue_usd,

        -- booleans
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'account', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.owner_id as owner_id__raw,
        source.parent_id as parent_id__raw,
        source.number_of_employees as number_of_employees__raw,
        source.annual_revenue as annual_revenue__raw,
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
        on country_aliases.alias = {{ country_alias_key('source.billing_country') }}

),

checked as (

    select
        -- ids
        account_id,
        owner_id,
        parent_account_id,

        -- strings
        account_name,
        website,
        website_domain,
        industry,
        account_type,
        phone,
        billing_country,
        billing_country_code,
        billing_state,
        billing_city,

        -- numbers
        number_of_employees,
        annual_revenue_usd,

        -- booleans
        is_deleted,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'account') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'account_id', problem='invalid'),
            check_parsed('owner_id', 'owner_id__raw', 'owner_id', problem='invalid'),
            check_parsed('parent_id', 'parent_id__raw', 'parent_account_id', problem='invalid'),
            check_parsed('number_of_employees', 'number_of_employees__raw', 'number_of_employees'),
            check_not_negative('number_of_employees', 'number_of_employees__raw', 'number_of_employees'),
            check_parsed('annual_revenue', 'annual_revenue__raw', 'annual_revenue_usd'),
            check_not_negative('annual_revenue', 'annual_revenue__raw', 'annual_revenue_usd'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(account_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(owner_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(parent_account_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(account_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(website as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(website_domain as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(industry as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(account_type as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(phone as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(billing_country as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(billing_country_code as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(billing_state as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(billing_city as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(number_of_employees as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(annual_revenue_usd as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_deleted as " ~ dbt.type_string() ~ "), '')",
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
        partition by account_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        account_id,
        owner_id,
        parent_account_id,

        -- strings
        account_name,
        website,
        website_domain,
        industry,
        account_type,
        phone,
        billing_country,
        billing_country_code,
        billing_state,
        billing_city,

        -- numbers
        number_of_employees,
        annual_revenue_usd,

        -- booleans
        is_deleted,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'account') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and account_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
