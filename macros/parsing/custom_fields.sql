{#- Custom fields (`*__c`, `*_c`) the raw table has beyond the canonical columns of
    leadseg/schema.py, found at run time so a customer's fields reach staging as text.
    Returns [] while parsing (execute is false) or when the raw table does not exist. -#}
{% macro custom_fields(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = [] -%}
    {#- The source node gives database/schema/identifier; unit tests run without the
        graph, so fall back to the raw contract's naming (raw.<source>__<table>). -#}
    {%- set location = {'database': target.database, 'schema': 'raw',
                        'identifier': source_name ~ '__' ~ table_name} -%}
    {%- for node in (graph.get('sources') or {}).values()
        if node.source_name == source_name and node.name == table_name -%}
        {%- do location.update({'database': node.database, 'schema': node.schema,
                                'identifier': node.identifier}) -%}
    {%- endfor -%}
    {%- set relation = adapter.get_relation(**location) -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- set name = column.name | lower -%}
            {%- if name.endswith('__c') or name.endswith('_c') -%}
                {%- do found.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort) }}
{%- endmacro %}


{#- `<field>,` select items for the custom fields, each followed by a comma (cast to
    text, and read from `relation_alias`, when given). -#}
{% macro select_custom_fields(source_name, table_name, cast_to_text=false, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for name in leadseg.custom_fields(source_name, table_name) %}
        {% if cast_to_text -%}
        cast({{ prefix }}{{ adapter.quote(name) }} as {{ dbt.type_string() }}) as {{ adapter.quote(name) }},
        {%- else -%}
        {{ prefix }}{{ adapter.quote(name) }},
        {%- endif -%}
    {%- endfor %}
{%- endmacro %}
