with

source as (

    select * from {{ source('salesforce', 'opportunity_contact_role') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as opportunity_contact_role_id,
        {{ sf_id_18('source.opportunity_id') }} as opportunity_id,
        {{ sf_id_18('source.contact_id') }} as contact_id,

        -- strings
        {{ clean_text('source.role') }} as role,

        -- booleans
        {{ parse_boolean('source.is_primary') }} as is_primary,
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity_contact_role', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.opportunity_id as opportunity_id__raw,
        source.contact_id as contact_id__raw,
        source.is_primary as is_primary__raw,
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

),

checked as (

    select
        -- ids
        opportunity_contact_role_id,
        opportunity_id,
        contact_id,

        -- strings
        role,

        -- booleans
        is_primary,
        is_deleted,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity_contact_role') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'opportunity_contact_role_id', problem='invalid'),
            check_parsed('opportunity_id', 'opportunity_id__raw', 'opportunity_id', problem='invalid'),
            check_parsed('contact_id', 'contact_id__raw', 'contact_id', problem='invalid'),
            check_parsed('is_primary', 'is_primary__raw', 'is_primary'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(opportunity_contact_role_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(opportunity_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(contact_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(role as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_primary as " ~ dbt.type_string() ~ "), '')",
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
        partition by opportunity_contact_role_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        opportunity_contact_role_id,
        opportunity_id,
        contact_id,

        -- strings
        role,

        -- booleans
        is_primary,
        is_deleted,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity_contact_role') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and opportunity_contact_role_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
