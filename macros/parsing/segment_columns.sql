{#- The columns every Segment event table carries (context, Segment's four timestamps, the
    raw text the quarantine checks quote, lineage), parsed the same way in each base model. -#}

{% macro segment_context_columns(relation_alias='source') -%}
        {{ clean_text(relation_alias ~ '.context_campaign_source') }} as utm_source,
        {{ clean_text(relation_alias ~ '.context_campaign_medium') }} as utm_medium,
        {{ clean_text(relation_alias ~ '.context_campaign_name') }} as utm_campaign,
        {{ clean_text(relation_alias ~ '.context_campaign_term') }} as utm_term,
        {{ clean_text(relation_alias ~ '.context_campaign_content') }} as utm_content,
        {{ clean_text(relation_alias ~ '.context_ip') }} as ip_address,
        {{ clean_text(relation_alias ~ '.context_user_agent') }} as user_agent,
        {{ clean_text(relation_alias ~ '.context_library_name') }} as library_name,
{%- endmacro %}

{% macro segment_timestamp_columns(relation_alias='source') -%}
        {{ parse_timestamp(relation_alias ~ '.' ~ adapter.quote('timestamp')) }} as timestamp_at,
        {{ parse_timestamp(relation_alias ~ '.original_timestamp') }} as original_timestamp_at,
        {{ parse_timestamp(relation_alias ~ '.received_at') }} as received_at,
        {{ parse_timestamp(relation_alias ~ '.sent_at') }} as sent_at,
{%- endmacro %}

{% macro segment_raw_and_lineage_columns(relation_alias='source') -%}
        -- raw text the quarantine checks quote
        {{ relation_alias }}.id as id__raw,
        {{ relation_alias }}.{{ adapter.quote('timestamp') }} as timestamp__raw,
        {{ relation_alias }}.original_timestamp as original_timestamp__raw,
        {{ relation_alias }}.received_at as received_at__raw,
        {{ relation_alias }}.sent_at as sent_at__raw,

        -- lineage
        {{ relation_alias }}._file_path,
        {{ relation_alias }}._file_row_number,
        {{ relation_alias }}._load_id,
        {{ relation_alias }}._loaded_at
{%- endmacro %}
