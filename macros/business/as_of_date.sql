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

{#- The dates feature tables are built for in one run: the as-of date and
    `feature_snapshot_count` earlier snapshot dates, `feature_snapshot_interval_days` apart.
    The earlier snapshots are what the predictive model trains on and what score calibration
    is measured on; each is point-in-time correct, so rebuilding them changes nothing. -#}
{% macro feature_snapshot_date_strings() -%}
    {%- set as_of = modules.datetime.datetime.strptime(as_of_date_string(), '%Y-%m-%d') -%}
    {%- set dates = [] -%}
    {%- for k in range(0, (var('feature_snapshot_count') | int) + 1) -%}
        {%- do dates.append((as_of - modules.datetime.timedelta(days=k * (var('feature_snapshot_interval_days') | int))).strftime('%Y-%m-%d')) -%}
    {%- endfor -%}
    {{- return(dates) -}}
{%- endmacro %}

{#- A relation (as a subquery body) of the snapshot dates: as_of_date (date) and as_of_at
    (midnight UTC starting it, timestamp); data strictly before as_of_at counts. -#}
{% macro feature_snapshots() -%}
    {%- for day in feature_snapshot_date_strings() %}
    select
        cast('{{ day }}' as date) as as_of_date,
        cast('{{ day }} 00:00:00' as {{ dbt.type_timestamp() }}) as as_of_at
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
