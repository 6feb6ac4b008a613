{#- An incremental scoring mart built by an earlier version (integer points, no
    first_mql_date …) would take the new rows with silently rounded points, or fail on a missing
    column. Stop with a clear message instead: such a table is rebuilt once with
    --full-refresh. `expected` maps column → 'numeric' (must be a decimal type) or 'any'. -#}
{% macro scoring_assert_incremental_schema(expected) %}
    {%- if execute and is_incremental() and model.resource_type == 'model' -%}
        {%- set existing = {} -%}
        {%- for column in adapter.get_columns_in_relation(this) -%}
            {%- do existing.update({column.name | lower: column.dtype | lower}) -%}
        {%- endfor -%}
        {%- for name, kind in expected.items() -%}
            {%- set dtype = existing.get(name) -%}
            {%- if dtype is none or (kind == 'numeric' and not (dtype.startswith('numeric') or dtype.startswith('decimal'))) -%}
                {{ exceptions.raise_compiler_error(
                    this ~ " was built by an earlier version of the scoring models (column " ~ name
                    ~ " is " ~ (dtype or "missing") ~ "): rebuild it once with "
                    ~ "`dbt build --full-refresh --select " ~ model.name ~ "`.") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
