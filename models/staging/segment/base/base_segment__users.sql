with

source as (

    select * from {{ source('segment', 'users') }}

),

parsed as (

    select
        -- ids
        {{ clean_text('source.id') }} as user_id,

        -- strings
        {{ normalize_email('source.email') }} as email,
        {{ email_domain('source.email') }} as email_domain,
        {{ clean_text('source.first_name') }} as first_name,
        {{ clean_text('source.last_name') }} as last_name,
        {{ clean_text('source.name') }} as full_name,
        {{ clean_text('source.company') }} as company,
        {{ clean_text('source.title') }} as title,

        -- timestamps
        {{ parse_timestamp('source.received_at') }} as received_at,

        -- custom fields
        {{ select_custom_fields('segment', 'users', cast_to_text=true, relation_alias='source') }}

        -- raw text the quarantine checks quote
        source.id as id__raw,
        source.received_at as received_at__raw,

        -- lineage
        source._file_path,
        source._file_row_number,
        source._load_id,
        source._loaded_at

    from source

),

final as (

    select
        -- ids
        user_id,

        -- strings
        email,
        email_domain,
        first_name,
        last_name,
        full_name,
        company,
        title,

        -- timestamps
        received_at,

        -- custom fields
        {{ select_custom_fields('segment', 'users') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('received_at', 'received_at__raw', 'received_at'),
            check_not_future('received_at', 'received_at__raw', 'received_at'),
        ]) }} as _quarantine_reason

    from parsed

)

select * from final
