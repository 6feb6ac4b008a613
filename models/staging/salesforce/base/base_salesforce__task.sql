with

source as (

    select * from {{ source('salesforce', 'task') }}

),

parsed as (

    select
        -- ids
        {{ sf_id_18('source.id') }} as task_id,
        {{ sf_id_18('source.who_id') }} as who_id,
        {{ sf_id_18('source.what_id') }} as what_id,
        {{ sf_id_18('source.account_id') }} as account_id,
        {{ sf_id_18('source.owner_id') }} as owner_id,

        -- strings
        {{ clean_text('source.subject') }} as subject,
        {{ clean_text('source.type') }} as task_type,
        {{ clean_text('source.task_subtype') }} as task_subtype,
        {{ clean_text('source.status') }} as status,

        -- booleans
        {{ parse_boolean('source.is_deleted') }} as is_deleted,

        -- dates
        {{ parse_date('source.activity_date') }} as activity_date,

        -- timestamps
        {{ parse_timestamp('source.created_date') }} as created_at,
        {{ parse_timestamp('source.last_modified_date') }} as last_modified_at,
        {{ parse_timestamp('source.system_modstamp') }} as system_modstamp_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'task', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.who_id as who_id__raw,
        source.what_id as what_id__raw,
        source.account_id as account_id__raw,
        source.owner_id as owner_id__raw,
        source.activity_date as activity_date__raw,
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
        task_id,
        who_id,
        what_id,
        account_id,
        owner_id,

        -- strings
        subject,
        task_type,
        task_subtype,
        status,

        -- booleans
        is_deleted,

        -- dates
        activity_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        coalesce(last_modified_at, system_modstamp_at) as updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'task') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('id', 'id__raw', 'task_id', problem='invalid'),
            check_parsed('who_id', 'who_id__raw', 'who_id', problem='invalid'),
            check_parsed('what_id', 'what_id__raw', 'what_id', problem='invalid'),
            check_parsed('account_id', 'account_id__raw', 'account_id', problem='invalid'),
            check_parsed('owner_id', 'owner_id__raw', 'owner_id', problem='invalid'),
            check_parsed('activity_date', 'activity_date__raw', 'activity_date'),
            check_parsed('is_deleted', 'is_deleted__raw', 'is_deleted'),
            check_parsed('created_date', 'created_date__raw', 'created_at'),
            check_not_future('created_date', 'created_date__raw', 'created_at'),
            check_parsed('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_not_future('last_modified_date', 'last_modified_date__raw', 'last_modified_at'),
            check_parsed('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
            check_not_future('system_modstamp', 'system_modstamp__raw', 'system_modstamp_at'),
        ]) }} as _row_quarantine_reason,
        {{ dbt.hash("concat_ws('|', " ~ [
            "coalesce(cast(task_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(who_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(what_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(account_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(owner_id as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(subject as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(task_type as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(task_subtype as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(status as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(is_deleted as " ~ dbt.type_string() ~ "), '')",
            "coalesce(cast(activity_date as " ~ dbt.type_string() ~ "), '')",
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
        partition by task_id, system_modstamp_at, last_modified_at,
            _row_quarantine_reason is null
        order by _loaded_at desc, _file_path desc, _file_row_number desc
    )

),

final as (

    select
        -- ids
        task_id,
        who_id,
        what_id,
        account_id,
        owner_id,

        -- strings
        subject,
        task_type,
        task_subtype,
        status,

        -- booleans
        is_deleted,

        -- dates
        activity_date,

        -- timestamps
        created_at,
        last_modified_at,
        system_modstamp_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'task') }}

        -- lineage
        _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            '_row_quarantine_reason',
            "case when _row_quarantine_reason is null and task_id is not null and _tie_rank > 1"
                ~ " and _content_hash != _tie_winner_content_hash"
                ~ " then 'conflicting duplicate: same id and modstamp as ' || _tie_winner_file_path"
                ~ " || ' row ' || cast(_tie_winner_file_row_number as " ~ dbt.type_string() ~ ") || ', different values' end",
        ]) }} as _quarantine_reason

    from ties

)

select * from final
