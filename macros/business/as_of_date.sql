{#- The date features, segments and scores are computed as of. Only data strictly before it
    counts, so a past date can be replayed. Rendered as a literal (not current_date) so that
    every model of one run agrees, and so the value is visible in the compiled SQL. -#}
{% macro as_of_date_string() -%}
    {%- set configured = var('as_of_date', '') -%}
    {%- if configured is none or (configured | string | trim) == '' -%}
        {{- return(modules.datetime.datetime.now(modules.pytz.utc).strftime('%Y-%m-%d')) -}}
    {%- endif -%}
    {%- set text = configured | string | trim -%}
    {#- strptime raises on anything that is not a real YYYY-MM-DD date: fail early, with a message. -#}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    {{- return(parsed.strftime('%Y-%m-%d')) -}}
{%- endmacro %}

{% macro as_of_date() -%}
    cast('{{ as_of_date_string() }}' as date)
{%- endmacro %}

{#- Midnight UTC at the start of the as-of date: events must be strictly before it. -#}
{% macro as_of_timestamp() -%}
    cast('{{ as_of_date_string() }} 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The as-of midnight minus a number of days, for behavioural windows [as_of - n days, as_of). -#}
{% macro as_of_window_start(days) -%}
    {{ dbt.dateadd('day', -1 * days, as_of_timestamp()) }}
{%- endmacro %}
