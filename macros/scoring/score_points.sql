{#- The one decimal type of every score and score component, so sums compare exactly. -#}
{% macro score_points_type() -%}
    numeric(12, 2)
{%- endmacro %}

{#- Engagement decay: 0.5 ^ (days / half-life); 1 when the rule has no recency (null days). -#}
{% macro score_decay_factor(recency_days, half_life_days=none) -%}
    {%- set half_life = half_life_days if half_life_days is not none else var('engagement_half_life_days') -%}
    {%- if (half_life | float) <= 0 -%}
        {{ exceptions.raise_compiler_error('var engagement_half_life_days must be a positive number of days, got ' ~ half_life) }}
    {%- endif -%}
    {%- set double = type_double() -%}
    case
        when {{ recency_days }} is null then cast(1 as {{ double }})
        else power(
            cast(0.5 as {{ double }}),
            cast({{ recency_days }} as {{ double }}) / cast({{ half_life }} as {{ double }})
        )
    end
{%- endmacro %}

{#- Points after decay: raw × factor rounded to 2 decimals (numeric rounding, portable), then
    held within [-cap, +cap] when the rule has a cap. -#}
{% macro score_capped_points(raw_points, decay_factor, cap) -%}
    {%- set decayed -%}
        round(cast({{ raw_points }} * {{ decay_factor }} as numeric(18, 6)), 2)
    {%- endset -%}
    cast(
        case
            when {{ cap }} is not null and {{ decayed }} > {{ cap }} then {{ cap }}
            when {{ cap }} is not null and {{ decayed }} < -1 * {{ cap }} then -1 * {{ cap }}
            else {{ decayed }}
        end
        as {{ score_points_type() }}
    )
{%- endmacro %}

{#- Points as a salesperson reads them: '+20', '-10', '+17.68' (whole numbers without decimals). -#}
{% macro score_points_text(points) -%}
    case when {{ points }} > 0 then '+' else '' end
    || case
        when {{ points }} = round({{ points }}, 0)
            then {{ dbt.cast(dbt.cast(points, 'bigint'), dbt.type_string()) }}
        else {{ dbt.cast(points, dbt.type_string()) }}
    end
{%- endmacro %}

{#- MQL by score: lead_score reaches var `mql_threshold`. -#}
{% macro score_is_mql(lead_score) -%}
    ({{ lead_score }} >= {{ var('mql_threshold') }})
{%- endmacro %}
