{#- Score bands of the calibration from var `score_band_edges` (ascending lower bounds
    e0 < e1 < … < en): band 0 is below e0, band k (1 ≤ k < n+1) is [e(k-1), e(k)), the last
    band is e(n) and up. -#}
{% macro score_band_edges() -%}
    {%- set edges = var('score_band_edges') | list -%}
    {%- if edges | length == 0 -%}
        {{ exceptions.raise_compiler_error('var score_band_edges must list at least one band edge') }}
    {%- endif -%}
    {%- for edge in edges -%}
        {%- if not loop.first and edge <= edges[loop.index0 - 1] -%}
            {{ exceptions.raise_compiler_error('var score_band_edges must be strictly ascending, got ' ~ edges) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(edges) }}
{%- endmacro %}

{#- The band number (0 = below the first edge) of a score expression. -#}
{% macro score_band_order(score) -%}
    {%- set edges = score_band_edges() -%}
    case
        {%- for edge in edges %}
        when {{ score }} < {{ edge }} then {{ loop.index0 }}
        {%- endfor %}
        else {{ edges | length }}
    end
{%- endmacro %}

{#- One literal row per score band: band_order, band_label, band_lower_bound,
    band_upper_bound (exclusive; null = unbounded). -#}
{% macro score_band_spine() -%}
    {%- set edges = score_band_edges() -%}
    {%- for order in range(0, (edges | length) + 1) %}
    select
        {{ order }} as band_order,
        {%- if order == 0 %}
        '< {{ edges[0] }}' as band_label,
        cast(null as {{ score_points_type() }}) as band_lower_bound,
        cast({{ edges[0] }} as {{ score_points_type() }}) as band_upper_bound
        {%- elif order == edges | length %}
        '{{ edges[order - 1] }}+' as band_label,
        cast({{ edges[order - 1] }} as {{ score_points_type() }}) as band_lower_bound,
        cast(null as {{ score_points_type() }}) as band_upper_bound
        {%- else %}
        '{{ edges[order - 1] }}–{{ edges[order] }}' as band_label,
        cast({{ edges[order - 1] }} as {{ score_points_type() }}) as band_lower_bound,
        cast({{ edges[order] }} as {{ score_points_type() }}) as band_upper_bound
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
