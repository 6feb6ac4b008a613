{#- The active rows of a rule seed (segment definitions, scoring rules), read from the
    warehouse when the model runs, so adding a rule is one seed row and no SQL.

    The seed is looked up by name in the graph, not through ref(): in a unit test ref() points
    at the test's fixture rows, while the rule conditions must still come from the real seed
    (the fixture then decides which rules and points the test sees). Before the seed is loaded
    (a bare `dbt compile` on an empty warehouse) there are no rules. -#}
{% macro active_rules(seed_name, columns, order_by) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set seed_nodes = (graph.nodes or {}).values()
        | selectattr('resource_type', 'equalto', 'seed')
        | selectattr('name', 'equalto', seed_name)
        | list -%}
    {%- if seed_nodes | length > 0 -%}
        {%- set seed_node = seed_nodes[0] -%}
        {%- set relation = adapter.get_relation(
            database=seed_node.database, schema=seed_node.schema, identifier=seed_node.alias) -%}
    {%- else -%}
        {#- A unit test's context carries no graph: seeds live in the `reference` schema
            (dbt_project.yml, seeds: +schema). -#}
        {%- set relation = adapter.get_relation(
            database=target.database, schema=generate_schema_name('reference', none), identifier=seed_name) -%}
    {%- endif -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select {{ columns | join(', ') }} from {{ relation }} where is_active order by {{ order_by }}
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {%- set rules = [] -%}
    {%- for row in result.rows -%}
        {%- set rule = {} -%}
        {%- for column in columns -%}
            {%- do rule.update({column: row[column]}) -%}
        {%- endfor -%}
        {%- do rules.append(rule) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}

{#- A rule id or name as a SQL string literal. -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'leadseg')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
