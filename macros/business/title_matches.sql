{#- Job titles are matched against analyst-edited patterns as lowercase substrings, which is
    the same on every engine (no regex dialects in the seed). The title is lowercased and
    every run of non-alphanumerics becomes one space, padded on both sides, so a whole-word
    pattern `cto` matches "CTO" and "VP, CTO office" but not "director". -#}
{% macro normalised_title(title) -%}
    (' ' || trim({{ leadseg.regex_replace_all('lower(' ~ title ~ ')', '[^a-z0-9]+', ' ') }}) || ' ')
{%- endmacro %}

{% macro title_matches(normalised_title, pattern, is_whole_word) -%}
    (
        case
            when {{ is_whole_word }}
                then {{ dbt.position("(' ' || " ~ pattern ~ " || ' ')", normalised_title) }} > 0
            else {{ dbt.position(pattern, normalised_title) }} > 0
        end
    )
{%- endmacro %}
