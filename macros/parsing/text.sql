{#- Trimmed text, blank → null. -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}


{#- The raw value quoted for a reason message, cut to 80 characters. -#}
{% macro quoted_raw_value(column) -%}
    {{ leadseg.sql_string("'") }} || substr({{ column }}, 1, 80) || {{ leadseg.sql_string("'") }}
{%- endmacro %}


{#- Quarantine checks. Each compares a raw text column (as loaded) with its typed
    counterpart (parsed once, in the base model's `parsed` CTE) and gives a readable reason
    or null; `label` names the raw column in the message. -#}

{#- 'missing <label>' when a required value is blank. -#}
{% macro check_required(label, raw_column) -%}
    case when {{ leadseg.clean_text(raw_column) }} is null then 'missing {{ label }}' end
{%- endmacro %}


{#- 'unparseable <label>: '<raw>'' when a non-blank raw value did not parse. -#}
{% macro check_parsed(label, raw_column, parsed_column, problem='unparseable') -%}
    case
        when {{ leadseg.clean_text(raw_column) }} is not null and {{ parsed_column }} is null
            then '{{ problem }} {{ label }}: ' || {{ leadseg.quoted_raw_value(raw_column) }}
    end
{%- endmacro %}


{#- 'negative <label>: <raw>' for a number that cannot be negative. -#}
{% macro check_not_negative(label, raw_column, parsed_column) -%}
    case when {{ parsed_column }} < 0 then 'negative {{ label }}: ' || trim({{ raw_column }}) end
{%- endmacro %}


{#- '<label> out of range <low>-<high>: <raw>' (percentages). -#}
{% macro check_between(label, raw_column, parsed_column, low, high) -%}
    case
        when {{ parsed_column }} not between {{ low }} and {{ high }}
            then '{{ label }} out of range {{ low }}-{{ high }}: ' || trim({{ raw_column }})
    end
{%- endmacro %}


{#- '<label> in the future: '<raw>'' for a timestamp more than a day after the row was
    loaded. -#}
{% macro check_not_future(label, raw_column, parsed_column, loaded_at='_loaded_at') -%}
    case
        when {{ parsed_column }} > {{ dbt.dateadd('day', 1, loaded_at) }}
            then '{{ label }} in the future: ' || {{ leadseg.quoted_raw_value(raw_column) }}
    end
{%- endmacro %}


{#- All the reasons a row is quarantined, joined with '; ' (null when there are none). -#}
{% macro quarantine_reason(reasons) -%}
    nullif(concat_ws('; ',
        {%- for reason in reasons %}
        {{ reason }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}
