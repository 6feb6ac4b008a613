{#- Grade A–D from the fit score; thresholds are vars so marketing can move them. -#}
{% macro fit_grade(fit_score) -%}
    {%- set thresholds = var('fit_grade_thresholds') -%}
    case
        when {{ fit_score }} >= {{ thresholds['A'] }} then 'A'
        when {{ fit_score }} >= {{ thresholds['B'] }} then 'B'
        when {{ fit_score }} >= {{ thresholds['C'] }} then 'C'
        else 'D'
    end
{%- endmacro %}

{#- Engagement level 1 (cold) to 4 (hot) from the engagement score. -#}
{% macro engagement_level(engagement_score) -%}
    {%- set thresholds = var('engagement_level_thresholds') -%}
    case
        when {{ engagement_score }} >= {{ thresholds['level_4'] }} then 4
        when {{ engagement_score }} >= {{ thresholds['level_3'] }} then 3
        when {{ engagement_score }} >= {{ thresholds['level_2'] }} then 2
        else 1
    end
{%- endmacro %}
