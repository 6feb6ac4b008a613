{#- Where every row of every landing file went. Each count comes from its own place (raw
    rows from the base model, staged rows from the stg model), so the singular test
    assert_row_accounting_balances catches a stg model that keeps or loses rows. -#}
{%- set tables = staging_tables() -%}

with

load_quarantine as (

    select * from {{ source('loader', '_load_quarantine') }}

),

{% for table in tables %}
{{ table.base }} as (

    select * from {{ ref(table.base) }}

),

{{ table.base }}__ranked as (

    select
        _file_path,
        _loaded_at,
        _quarantine_reason is not null as is_quarantined,
        {% if table.soft_deletes -%}
        coalesce(is_deleted, false) as is_deleted,
        {%- else -%}
        false as is_deleted,
        {%- endif %}
        row_number() over (
            partition by {{ table.key }}, _quarantine_reason is null
            order by {{ context[table.order_by]() }}
        ) as version_rank
    from {{ table.base }}

),

{{ table.stg }} as (

    select * from {{ ref(table.stg) }}

),

{% endfor %}
counts as (

    select
        source || '__' || table_name as source_table,
        file_path,
        max(cast(quarantined_at as {{ dbt.type_timestamp() }})) as loaded_at,
        count(*) as rows_read,
        0 as rows_staged,
        count(*) as rows_quarantined,
        0 as rows_superseded,
        0 as rows_soft_deleted
    from load_quarantine
    group by 1, 2

    {% for table in tables %}
    union all

    select
        '{{ table.relation }}' as source_table,
        _file_path as file_path,
        max(_loaded_at) as loaded_at,
        count(*) as rows_read,
        0 as rows_staged,
        sum(case when is_quarantined then 1 else 0 end) as rows_quarantined,
        sum(case when not is_quarantined and version_rank > 1 then 1 else 0 end) as rows_superseded,
        sum(case when not is_quarantined and version_rank = 1 and is_deleted then 1 else 0 end)
            as rows_soft_deleted
    from {{ table.base }}__ranked
    group by 1, 2

    union all

    select
        '{{ table.relation }}' as source_table,
        _file_path as file_path,
        max(_loaded_at) as loaded_at,
        0 as rows_read,
        count(*) as rows_staged,
        0 as rows_quarantined,
        0 as rows_superseded,
        0 as rows_soft_deleted
    from {{ table.stg }}
    group by 1, 2
    {% endfor %}

),

final as (

    select
        source_table,
        file_path,
        cast(sum(rows_read) as {{ dbt.type_bigint() }}) as rows_read,
        cast(sum(rows_staged) as {{ dbt.type_bigint() }}) as rows_staged,
        cast(sum(rows_quarantined) as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(sum(rows_superseded) as {{ dbt.type_bigint() }}) as rows_superseded,
        cast(sum(rows_soft_deleted) as {{ dbt.type_bigint() }}) as rows_soft_deleted,
        max(loaded_at) as last_loaded_at
    from counts
    group by 1, 2

)

select * from final
