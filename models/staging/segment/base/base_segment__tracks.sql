with

source as (

    select * from {{ source('segment', 'tracks') }}

),

parsed as (

    select
        -- ids
        {{ clean_text('source.id') }} as event_id,
        {{ clean_text('source.anonymous_id') }} as anonymous_id,
        {{ clean_text('source.user_id') }} as user_id,
        {{ clean_text('source.campaign_id') }} as campaign_id,
        {{ clean_text('source.form_id') }} as form_id,

        -- strings
        {{ slugify_event("coalesce(" ~ clean_text('source.event_text') ~ ", " ~ clean_text('source.event') ~ ")") }} as event_name,
        {{ "coalesce(" ~ clean_text('source.event_text') ~ ", " ~ clean_text('source.event') ~ ")" }} as event_text,
        {{ normalize_email('source.email') }} as email,
        {{ email_domain('source.email') }} as email_domain,
        {{ clean_text('source.campaign_name') }} as campaign_name,
        {{ clean_text('source.email_subject') }} as email_subject,
        {{ clean_text('source.form_name') }} as form_name,
        {{ clean_text('source.link_url') }} as link_url,
        {{ clean_text('source.context_page_url') }} as page_url,
        {{ normalize_page_path("coalesce(" ~ clean_text('source.context_page_path') ~ ", " ~ url_path('source.context_page_url') ~ ")") }} as page_path,
        {{ clean_text('source.context_page_title') }} as page_title,
        {{ clean_text('source.context_page_referrer') }} as referrer,
        {{ segment_context_columns() }}

        -- timestamps
        {{ segment_timestamp_columns() }}

        -- custom fields
        {{ select_custom_fields('segment', 'tracks', cast_to_text=true, relation_alias='source') }}

        {{ segment_raw_and_lineage_columns() }}

    from source

),

final as (

    select
        -- ids
        event_id,
        anonymous_id,
        user_id,
        campaign_id,
        form_id,

        -- strings
        event_name,
        event_text,
        email,
        email_domain,
        campaign_name,
        email_subject,
        form_name,
        link_url,
        page_url,
        page_path,
        page_title,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        ip_address,
        user_agent,
        library_name,

        -- timestamps
        coalesce(timestamp_at, original_timestamp_at, received_at) as event_at,
        received_at,
        sent_at,

        -- custom fields
        {{ select_custom_fields('segment', 'tracks') }}

        -- lineage
        id__raw as _raw_id,
        _file_path,
        _file_row_number,
        _load_id,
        _loaded_at,
        {{ quarantine_reason([
            check_required('id', 'id__raw'),
            check_parsed('timestamp', 'timestamp__raw', 'timestamp_at'),
            check_parsed('original_timestamp', 'original_timestamp__raw', 'original_timestamp_at'),
            check_parsed('received_at', 'received_at__raw', 'received_at'),
            check_not_future('received_at', 'received_at__raw', 'received_at'),
            check_parsed('sent_at', 'sent_at__raw', 'sent_at'),
            "case when coalesce(timestamp_at, original_timestamp_at, received_at) is null then 'missing timestamp' end",
            "case when coalesce(timestamp_at, original_timestamp_at) > " ~ dbt.dateadd('day', 1, '_loaded_at') ~ " then 'event time in the future: ' || " ~ quoted_raw_value('coalesce(timestamp__raw, original_timestamp__raw)') ~ " end",
        ]) }} as _quarantine_reason

    from parsed

)

select * from final
