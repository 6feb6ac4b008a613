{#- Accepted forms (case-insensitive):
      2026-03-01T10:00:00.000+0000   2026-03-01 10:00:00   2026-03-01 10:00:00.829 UTC
      2026-03-01T10:00:00Z           2026-03-01T10:00:00+02:00 (+hh, +hhmm, +hh:mm)
      2026-03-01T10:00 (no seconds)  2026-03-01 (midnight)
    A value with an offset or zone is converted to UTC; one without is taken as UTC. The
    result is a timezone-naive UTC timestamp. Anything else, or an impossible date such as
    2026-02-30, gives null. The regex fixes the shape (years 1000-2999, field ranges);
    each engine's own cast then does the calendar arithmetic. -#}
{% macro timestamp_pattern() -%}
^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?( *(Z|UTC|GMT|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?))?)?$
{%- endmacro %}

{#- The shape has an offset or zone designator (only possible after a time). -#}
{% macro timestamp_zone_pattern() -%}
:[0-5][0-9]([.][0-9]+)? *(Z|UTC|GMT|[+-][0-9]{2}(:?[0-9]{2})?)$
{%- endmacro %}


{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'leadseg')(column)) }}
{%- endmacro %}


{#- PostgreSQL has no try_cast: the day is checked against the length of its month first,
    in a nested case so it is only evaluated for well-shaped values. -#}
{% macro default__parse_timestamp(column) -%}
    {%- set value = 'upper(trim(' ~ column ~ '))' -%}
    case
        when {{ leadseg.regex_matches(value, leadseg.timestamp_pattern()) }} then
            case
                when cast(substr({{ value }}, 9, 2) as integer) <= extract(day from
                    cast(substr({{ value }}, 1, 7) || '-01' as date) + interval '1 month' - interval '1 day'
                ) then
                    case
                        when {{ leadseg.regex_matches(value, leadseg.timestamp_zone_pattern()) }}
                            then cast({{ value }} as timestamp with time zone) at time zone 'UTC'
                        else cast({{ value }} as timestamp)
                    end
            end
    end
{%- endmacro %}


{% macro duckdb__parse_timestamp(column) -%}
    {%- set value = 'upper(trim(' ~ column ~ '))' -%}
    case
        when {{ leadseg.regex_matches(value, leadseg.timestamp_pattern()) }} then
            case
                when {{ leadseg.regex_matches(value, leadseg.timestamp_zone_pattern()) }}
                    then timezone('UTC', try_cast({{ value }} as timestamp with time zone))
                else try_cast({{ value }} as timestamp)
            end
    end
{%- endmacro %}


{#- Spark: its own string-to-timestamp cast reads every accepted shape (`T` or space, no
    seconds, fractions, `Z`/`UTC`/`GMT`, `+hh`, `+hhmm`, `+hh:mm`, a space before the zone),
    converts offsets to the session time zone (UTC, profiles.yml) and gives null for
    impossible dates under try_cast. -#}
{% macro spark__parse_timestamp(column) -%}
    {%- set value = 'upper(trim(' ~ column ~ '))' -%}
    case
        when {{ leadseg.regex_matches(value, leadseg.timestamp_pattern()) }}
            then try_cast({{ value }} as timestamp)
    end
{%- endmacro %}


{#- A date, or the UTC date of a timestamp. -#}
{% macro parse_date(column) -%}
    cast({{ leadseg.parse_timestamp(column) }} as date)
{%- endmacro %}
