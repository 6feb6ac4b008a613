{#- Booleans as exports write them; blank → null; anything else → null (and a reason). -#}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim({{ column }})) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}


{#- Plain decimal numbers ('1200', '-3.5', '1e6') as double precision (dbt.type_float() is
    a 4-byte float on DuckDB); text, thousands separators, currency
    signs → null. The regex guard keeps PostgreSQL's cast from raising. -#}
{% macro number_pattern() -%}
^[+-]?([0-9]{1,30}([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,2})?$
{%- endmacro %}

{% macro parse_number(column) -%}
    case
        when {{ leadseg.regex_matches('trim(' ~ column ~ ')', leadseg.number_pattern()) }}
            then cast(trim({{ column }}) as {{ leadseg.type_double() }})
    end
{%- endmacro %}


{#- Whole numbers ('250', '250.0'); anything else → null. -#}
{% macro integer_pattern() -%}
^[+-]?[0-9]{1,18}([.]0*)?$
{%- endmacro %}

{% macro parse_integer(column) -%}
    case
        when {{ leadseg.regex_matches('trim(' ~ column ~ ')', leadseg.integer_pattern()) }}
            then cast(split_part(trim({{ column }}), '.', 1) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}
