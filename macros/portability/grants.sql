{#- Access for BI tools: role `leadseg_bi` (var `bi_role`) may read schema marts and nothing
    else. The marts folder's `+grants` in dbt_project.yml grants select on each mart; the
    on-run-start hook `ensure_bi_role()` makes sure the role exists and can use the schema.
    Engines without SQL grants (DuckDB files, local Spark sessions) get silent no-ops. -#}

{% macro ensure_bi_role() -%}
    {{ return(adapter.dispatch('ensure_bi_role', 'leadseg')()) }}
{%- endmacro %}

{% macro default__ensure_bi_role() -%}

{%- endmacro %}

{% macro postgres__ensure_bi_role() -%}
    {%- set role = var('bi_role', 'leadseg_bi') -%}
    do $$
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            create role {{ adapter.quote(role) }} nologin;
        end if;
    exception when duplicate_object then
        null;  -- created by a concurrent run
    end
    $$;
    create schema if not exists marts;
    grant usage on schema marts to {{ adapter.quote(role) }}
{%- endmacro %}

{#- dbt-duckdb warns once per run that it has no grants; the project asks for grants on
    every target, so on DuckDB they are quietly skipped. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}

{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}
