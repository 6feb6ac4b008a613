{#- Spark (dbt-spark session mode) keeps its catalog in memory, so the raw tables the
    loader wrote elsewhere are registered over parquet folders (`<directory>/t<table>/`) in the
    same process:
    `dbt run-operation spark_register_raw_parquet --args '{directory: ..., tables: [...]}'`
    (tests/spark does this before `dbt build --target spark`). -#}
{% macro spark_register_raw_parquet(directory, tables) -%}
    {% do run_query('create database if not exists raw') %}
    {% for table in tables %}
        {% do run_query(
            'create table if not exists raw.' ~ adapter.quote(table)
            ~ " using parquet location '" ~ directory ~ '/t' ~ table ~ "'"
        ) %}
    {% endfor %}
    {{ log('registered ' ~ (tables | length) ~ ' raw tables over ' ~ directory, info=True) }}
{%- endmacro %}

{#- Spark variants of the project's dispatched parsing macros (macros/parsing/regex.sql). -#}
{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_group(expression, pattern, group) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{#- Seeds: the seed files' `column_types` say `varchar`/`varchar(n)`/`text` (DuckDB and
    PostgreSQL); Spark's parquet tables want `string`. dbt-spark's own macro otherwise. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = column_override.get(col_name, inferred_type) | string -%}
                {%- if type.lower().startswith('varchar') or type.lower() == 'text' -%}
                    {%- set type = 'string' -%}
                {%- endif -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {%- if not loop.last -%}, {%- endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}
