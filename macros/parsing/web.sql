{#- Trimmed, lower-case email; blank → null. -#}
{% macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}


{#- The part after '@' of a well-formed address (one '@', a dot in the domain), else null. -#}
{% macro email_domain(column) -%}
    case
        when {{ leadseg.regex_matches(leadseg.normalize_email(column), '^[^@ ]+@[^@ ]+[.][^@ ]+$') }}
            then {{ dbt.split_part(leadseg.normalize_email(column), "'@'", 2) }}
    end
{%- endmacro %}


{#- Lower-case host of a URL or bare domain ('https://www.Acme.com/x' → 'acme.com' with
    strip_www, 'www.acme.com' without); null when there is no host. -#}
{% macro parse_url_host(column, strip_www=true) -%}
    {%- set host = leadseg.regex_group(
        'lower(trim(' ~ column ~ '))',
        '^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?([^/?#:@ ]+)', 1) -%}
    {%- if strip_www -%}
        nullif(regexp_replace({{ host }}, '^www[.]', ''), '')
    {%- else -%}
        nullif({{ host }}, '')
    {%- endif -%}
{%- endmacro %}


{#- The path of a URL ('https://acme.com/Pricing/?a=1' → '/Pricing/?a=1', 'https://acme.com'
    → '/'), not normalised. -#}
{% macro url_path(column) -%}
    case
        when {{ leadseg.clean_text(column) }} is not null
            then coalesce(
                nullif(regexp_replace(trim({{ column }}), '^([a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]*', ''), ''),
                '/'
            )
    end
{%- endmacro %}


{#- Lower-case path without query string, fragment or trailing slash; '/' for the home page. -#}
{% macro normalize_page_path(column) -%}
    case
        when {{ leadseg.clean_text(column) }} is not null
            then coalesce(
                nullif(regexp_replace(regexp_replace(lower(trim({{ column }})), '[?#].*$', ''), '/+$', ''), ''),
                '/'
            )
    end
{%- endmacro %}


{#- Event names as snake_case slugs: 'Email Opened' → 'email_opened', 'formSubmitted' →
    'form_submitted'. -#}
{% macro slugify_event(column) -%}
    {{ return(adapter.dispatch('slugify_event', 'leadseg')(column)) }}
{%- endmacro %}

{% macro default__slugify_event(column) -%}
    nullif(regexp_replace(
        regexp_replace(
            lower(regexp_replace(trim({{ column }}), '([a-z0-9])([A-Z])', '\1_\2', 'g')),
            '[^a-z0-9]+', '_', 'g'
        ),
        '^_+|_+$', '', 'g'
    ), '')
{%- endmacro %}

{#- Spark: regexp_replace always replaces every match (no 'g' flag) and refers to groups as
    $1. -#}
{% macro spark__slugify_event(column) -%}
    nullif(regexp_replace(
        regexp_replace(
            lower(regexp_replace(trim({{ column }}), '([a-z0-9])([A-Z])', '$1_$2')),
            '[^a-z0-9]+', '_'
        ),
        '^_+|_+$', ''
    ), '')
{%- endmacro %}
