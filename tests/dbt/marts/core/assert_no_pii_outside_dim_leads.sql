-- Marts other than dim_leads carry no PII: no email, names, IP address or user agent among
-- their documented (contracted) columns. Returns one row per offending column.
{%- set pii_columns = ['email', 'first_name', 'last_name', 'full_name', 'name', 'ip_address', 'user_agent', 'phone'] -%}
{%- set offenders = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.fqn[1] == 'marts'
        and node.name != 'dim_leads' -%}
        {%- for column_name in node.columns -%}
            {%- if column_name | lower in pii_columns -%}
                {%- do offenders.append(node.name ~ '.' ~ column_name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}
{% for offender in offenders %}
select '{{ offender }}' as pii_column
union all
{% endfor %}
select cast(null as {{ dbt.type_string() }}) as pii_column
where 1 = 0
