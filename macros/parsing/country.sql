{#- The key to look a free-text country up in the country_aliases seed: lower-case,
    trimmed, inner whitespace collapsed ('United  States ' → 'united states'). The base
    models left-join ref('country_aliases') on it to get the ISO-3166 alpha-2 code. -#}
{% macro country_alias_key(column) -%}
    nullif({{ leadseg.regex_replace_all('lower(trim(' ~ column ~ '))', ' +', ' ') }}, '')
{%- endmacro %}
