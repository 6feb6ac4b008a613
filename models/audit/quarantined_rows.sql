{#- Every raw row that did not reach staging because it was bad: rows the loader could not
    parse, and rows a base model gave a _quarantine_reason (all its reasons in one string). -#}
{%- set tables = staging_tables() -%}

with

load_quarantine as (

    select * from {{ source('loader', '_load_quarantine') }}

),

{% for table in tables %}
{{ table.base }} as (

    select * from {{ ref(table.base) }}
    where _quarantine_reason is not null

),

{% endfor %}
unioned as (

    select
        source || '__' || table_name as source_table,
        file_path,
        cast(file_row_number as {{ dbt.type_bigint() }}) as file_row_number,
        cast(null as {{ dbt.type_string() }}) as record_id,
        reason,
        cast(quarantined_at as {{ dbt.type_timestamp() }}) as loaded_at
    from load_quarantine

    {% for table in tables %}
    union all

    select
        '{{ table.relation }}' as source_table,
        _file_path as file_path,
        cast(_file_row_number as {{ dbt.type_bigint() }}) as file_row_number,
        nullif(trim(_raw_id), '') as record_id,
        _quarantine_reason as reason,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from {{ table.base }}
    {% endfor %}

),

final as (

    select
        source_table,
        file_path,
        file_row_number,
        record_id,
        reason,
        loaded_at
    from unioned

)

select * from final
