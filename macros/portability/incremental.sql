{#- How incremental models replace what a run recomputes, per engine (config headers call
    these; a model never branches on the engine itself).

    DuckDB and PostgreSQL: `delete+insert` on the model's unique_key: the rows of every key
    value the run produced (an as-of date, a visitor) are deleted, then the new rows
    inserted.

    Spark (dbt-spark on parquet tables): no row-level delete, and `merge` is refused. The
    equivalent of delete+insert by as-of date is `insert_overwrite` of a table partitioned
    by as_of_date: dbt-spark sets dynamic partition overwrite, so exactly the dates the run
    produced are replaced and the other dates are kept (and the run may read the table it
    overwrites, as fct_lead_scores does). A key that is not a date (visitor_id of the web
    models) would be a partition per visitor: those models are rebuilt in full on every
    Spark run instead (full_refresh), which gives the same rows, since incremental equals a
    full refresh by design. -#}

{#- incremental_strategy for a model that replaces whole as-of dates (unique_key
    'as_of_date'). -#}
{% macro replace_dates_strategy() -%}
    {{ return(adapter.dispatch('replace_dates_strategy', 'leadseg')()) }}
{%- endmacro %}

{% macro default__replace_dates_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__replace_dates_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{#- partition_by for the same models: none where delete+insert does the job. -#}
{% macro replace_dates_partition_by() -%}
    {{ return(adapter.dispatch('replace_dates_partition_by', 'leadseg')()) }}
{%- endmacro %}

{% macro default__replace_dates_partition_by() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__replace_dates_partition_by() -%}
    {{ return(['as_of_date']) }}
{%- endmacro %}


{#- incremental_strategy for a model that replaces the rows of a non-date key (visitors). -#}
{% macro replace_keys_strategy() -%}
    {{ return(adapter.dispatch('replace_keys_strategy', 'leadseg')()) }}
{%- endmacro %}

{% macro default__replace_keys_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__replace_keys_strategy() -%}
    {{ return('append') }}  {#- never used: full_refresh below -#}
{%- endmacro %}


{#- full_refresh for those models: none (follow --full-refresh) where delete+insert exists;
    always on Spark. -#}
{% macro replace_keys_full_refresh() -%}
    {{ return(adapter.dispatch('replace_keys_full_refresh', 'leadseg')()) }}
{%- endmacro %}

{% macro default__replace_keys_full_refresh() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__replace_keys_full_refresh() -%}
    {{ return(true) }}
{%- endmacro %}
