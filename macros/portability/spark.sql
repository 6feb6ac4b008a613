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

{#- Seeds: the seed files' `column_types` use the shared type names (`varchar`,
    `varchar(n)`, `text`, `double precision`: macros/portability/types.sql maps them), both
    in the table definition and in the inserts' casts. dbt-spark's own macros otherwise. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = column_override.get(col_name, inferred_type) | string -%}
                {%- set type = leadseg.spark_type_name(type) -%}
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

{#- dbt-spark's session mode formats bindings into the SQL text without escaping quotes and
    writes None as 'None': seed values are rendered as literals here instead. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(leadseg.spark_type_name(column_override.get(col_name, inferred_type))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ leadseg.spark_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{#- A seed value as a Spark SQL literal (backslash escapes: Spark string literals are
    unescaped). -#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        '{{ value }}'
    {%- else -%}
        '{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}


{#- macros/business/active_rules.sql: a string literal, backslash-escaped on Spark. -#}
{% macro spark__sql_string(value) -%}
    {{ leadseg.spark_literal(value | string) }}
{%- endmacro %}


{#- dbt.listagg with an order: dbt-spark drops the order (with a warning), so the text
    would differ from run to run and from the other engines. Spark 4 has the standard
    `listagg(…) within group (order by …)`. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error('leadseg: dbt.listagg with limit_num has no Spark variant here') }}
    {%- endif -%}
    {%- if order_by_clause -%}
        listagg({{ measure }}, {{ delimiter_text }}) within group ({{ order_by_clause }})
    {%- else -%}
        listagg({{ measure }}, {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}


{#- macros/business/hashing.sql: the first 16 hex digits of SHA-256 as an unsigned 64-bit
    number (conv gives its decimal digits), as a double over 2^64. -#}
{% macro spark__holdout_bucket(lead_id, segment_id) -%}
    least(
        cast(cast(conv(substr(sha2({{ lead_id }} || '|' || {{ segment_id }}, 256), 1, 16), 16, 10) as decimal(20, 0)) as double)
        / cast(18446744073709551616 as double),
        cast(0.9999999999999999 as double)
    )
{%- endmacro %}


{#- dbt.dateadd: dbt-spark's variant goes through unix seconds, dropping the fraction of a
    second (a loaded_at + 1 day would compare differently than on DuckDB/PostgreSQL).
    Spark 3.3+ has timestampadd, exact to the microsecond; a date gives a timestamp, as
    elsewhere. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}


{#- dbt.split_part: dbt-spark's variant (from before Spark had split_part) builds a regex
    with a `'\\'` literal, which the SQL splitter dbt uses for unit tests (sqlparse) misreads
    as an escaped quote, cutting the model's SQL at the next `;` inside a string. Spark
    3.3+ has split_part with PostgreSQL's meaning (literal delimiter, '' past the end). -#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#- Contracts on Spark. dbt-spark declares a contract's `not_null` with `alter table …
    change column … set not null`, which only Delta tables accept, and it assumes Delta
    unless `file_format` says otherwise. The project's Spark tables are parquet (no Delta
    jars on these machines), so the same promise is checked rather than declared: after the
    table is built, one query counts the nulls of every `not_null` column and the build fails
    naming the model, the columns and their counts. Delta tables keep dbt-spark's way. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- if not config.get('contract').enforced -%}
        {{ return('') }}
    {%- endif -%}
    {%- if config.get('file_format', 'parquet') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set not_null = [] -%}
    {%- for name, column in model.columns.items() -%}
        {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
            {%- do not_null.append(adapter.quote(name) if column.quote else name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not not_null -%}
        {{ return('') }}
    {%- endif -%}
    {%- set sql -%}
        select
        {%- for name in not_null %}
            sum(case when {{ name }} is null then 1 else 0 end){{ ',' if not loop.last }}
        {%- endfor %}
        from {{ relation }}
    {%- endset -%}
    {%- set row = run_query(sql).rows[0] -%}
    {%- set violations = [] -%}
    {%- for name in not_null -%}
        {%- if (row[loop.index0] or 0) > 0 -%}
            {%- do violations.append(name ~ ' (' ~ row[loop.index0] ~ ' null rows)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if violations -%}
        {%- do exceptions.raise_compiler_error(
            'Contract of ' ~ model.name ~ ' says not null, but ' ~ relation ~ ' has nulls in: '
            ~ violations | join(', ')
        ) -%}
    {%- endif -%}
{% endmacro %}
