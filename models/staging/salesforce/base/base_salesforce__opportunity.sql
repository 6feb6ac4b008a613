with

source as (

    select * from {{ source('salesforce', 'opportunity') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as opportunity_id,
        {{ sf_id_18('source.account_id') }} as account_id,
        {{ sf_id_18('source.campaign_id') }} as campaign_id,
        {{ sf_id_18('source.owner_id') }} as owner_id,

        -- strings
        {{ clean_text('source.name') }} as opportunity_name,
        {{ clean_text('source.stage_name') }} as stage_name,
        {{ clean_text('source.type') }} as opportunity_type,
        {{ clean_text('source.lead_source') }} as lead_source,

        -- numbers
        {{ parse_number('source.amount') }} as amount_usd,
        {{ parse_number('source.probability') }} as probability,

        -- booleans
        {{ parse_boolean('source.is_closed') }} as is_closed,
        {{ parse_boolean('source.is_won') }} as is_won,
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- dates
        {{ parse_date('source.close_date') }} as close_date,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.account_id as account_id__raw,
        source.campaign_id as campaign_id__raw,
        source.owner_id as owner_id__raw,
        source.amount as amount__raw,
        source.probability as probability__raw,
        source.is_closed as is_closed__raw,
        source.is_won as is_won__raw,
        source.close_date as close_date__raw,
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
        opportunity_id,
        account_id,
        campaign_id,
        owner_id,

        -- strings
        opportunity_name,
        stage_name,
        opportunity_type,
        lead_source,

        -- numbers
        amount_usd,
        probability,

        -- booleans
        is_closed,
        is_won,
        is_deleted,

        -- dates
        close_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'opportunity_id', problem='invalid'),
            check_parsed('account_id', 'account_id__raw', 'account_id', problem='invalid'),
            check_parsed('campaign_id', 'campaign_id__raw', 'campaign_id', problem='invalid'),
            check_parsed('owner_id', 'owner_id__raw', 'owner_id', problem='invalid'),
            check_parsed('amount', 'amount__raw', 'amount_usd'),
            check_not_negative('amount', 'amount__raw', 'amount_usd'),
            check_parsed('probability', 'probability__raw', 'probability'),
            check_between('probability', 'probability__raw', 'probability', 0, 100),
            check_parsed('is_closed', 'is_closed__raw', 'is_closed'),
            check_parsed('is_won', 'is_won__raw', 'is_won'),
            check_parsed('close_date', 'close_date__raw', 'close_date'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(opportunity_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(account_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(campaign_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(owner_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(opportunity_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(stage_name as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(opportunity_type as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(lead_source as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(amount_usd as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(probability as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_closed as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_won as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_deleted as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(close_date as " ~ dbt.type_string() ~ "), '')",
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
        partition by opportunity_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        opportunity_id,
        account_id,
        campaign_id,
        owner_id,

        -- strings
        opportunity_name,
        stage_name,
        opportunity_type,
        lead_source,

        -- numbers
        amount_usd,
        probability,

        -- booleans
        is_closed,
        is_won,
        is_deleted,

        -- dates
        close_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'opportunity') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and opportunity_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
