{#- Type names. Models, seeds and contracts are written with the type names DuckDB and
    PostgreSQL share (`text`, `varchar`, `varchar(n)`, `double precision`, `numeric(p, s)`,
    `integer`, `bigint`, `boolean`, `date`, `timestamp`); Spark spells three of them
    differently. -#}

{#- An 8-byte float. Not dbt.type_float(): that is `float`, a 4-byte REAL on DuckDB. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'leadseg')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}


{#- A type name as Spark spells it: text/varchar/varchar(n)/character varying → string
    (Spark's varchar needs a length and is a checked string anyway), double precision →
    double, numeric(p, s) → decimal(p, s); anything else unchanged. -#}
{% macro spark_type_name(type) -%}
    {%- set name = (type | string).strip() -%}
    {%- set lowered = name.lower() -%}
    {%- if lowered in ('text', 'varchar', 'character varying', 'string')
        or lowered.startswith('varchar(') or lowered.startswith('character varying(') -%}
        {{ return('string') }}
    {%- elif lowered == 'double precision' -%}
        {{ return('double') }}
    {%- elif lowered.startswith('numeric') -%}
        {{ return('decimal' ~ name[7:]) }}
    {%- endif -%}
    {{ return(name) }}
{%- endmacro %}


{#- dbt.cast on Spark takes the shared type names too. dbt's contract check renders the
    YAML `data_type`s through dbt.cast (get_empty_schema_sql), so `data_type: text` or
    `double precision` in the marts' contracts compare equal to Spark's `string` and
    `double`. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ leadseg.spark_type_name(type) }})
{%- endmacro %}
