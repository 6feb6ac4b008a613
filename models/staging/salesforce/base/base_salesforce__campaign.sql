with

source as (

    select * from {{ source('salesforce', 'campaign') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as campaign_id,
        {{ sf_id_18('source.parent_id') }} as parent_campaign_id,

        -- strings
        {{ clean_text('source.name') }} as campaign_name,
        {{ clean_text('source.type') }} as campaign_type,
        {{ clean_text('source.status') }} as status,

        -- numbers
        {{ parse_number('source.budgeted_cost') }} as budgeted_cost_usd,
        {{ parse_number('source.actual_cost') }} as actual_cost_usd,

        -- booleans
        {{ parse_boolean('source.is_active') }} as is_active,
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- dates
        {{ parse_date('source.start_date') }} as start_date,
        {{ parse_date('source.end_date') }} as end_date,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'campaign', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.parent_id as parent_id__raw,
        source.budgeted_cost as budgeted_cost__raw,
        source.actual_cost as actual_cost__raw,
        source.is_active as is_active__raw,
        source.start_date as start_date__raw,
        source.end_date as end_date__raw,
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
        campaign_id,
        parent_campaign_id,

        -- strings
        campaign_name,
        campaign_type,
        status,

        -- numbers
        budgeted_cost_usd,
        actual_cost_usd,

        -- booleans
        is_active,
        is_deleted,

        -- dates
        start_date,
        end_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'campaign') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'campaign_id', problem='invalid'),
            check_parsed('parent_id', 'parent_id__raw', 'parent_campaign_id', problem='invalid'),
            check_parsed('budgeted_cost', 'budgeted_cost__raw', 'budgeted_cost_usd'),
            check_not_negative('budgeted_cost', 'budgeted_cost__raw', 'budgeted_cost_usd'),
            check_parsed('actual_cost', 'actual_cost__raw', 'actual_cost_usd'),
            check_not_negative('actual_cost', 'actual_cost__raw', 'actual_cost_usd'),
            check_parsed('is_active', 'is_active__raw', 'is_active'),
            check_parsed('start_date', 'start_date__raw', 'start_date'),
            check_parsed('end_date', 'end_date__raw', 'end_date'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(campaign_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(parent_campaign_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(campaign_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(campaign_type as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(status as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(budgeted_cost_usd as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(actual_cost_usd as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_active as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_deleted as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(start_date as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(end_date as " ~ dbt.type_string() ~ "), '')",
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
        partition by campaign_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        campaign_id,
        parent_campaign_id,

        -- strings
        campaign_name,
        campaign_type,
        status,

        -- numbers
        budgeted_cost_usd,
        actual_cost_usd,

        -- booleans
        is_active,
        is_deleted,

        -- dates
        start_date,
        end_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'campaign') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and campaign_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
