{#- Salesforce ids: 18-character ids pass through; 15-character (case-sensitive) ids get
    the standard 3-character checksum suffix, so both spellings join. For each 5-character
    chunk, bit i is set when character i is an upper-case letter; the 5-bit number picks a
    character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'. In SQL: translate() turns the id into
    a string of 0/1 flags, and each 5-flag chunk is looked up in the list of all 32 flag
    patterns ordered by their value. Blank → null; any other shape → null (check_sf_id
    gives the reason). -#}
{% macro sf_id_18(column) -%}
    {%- set value = 'trim(' ~ column ~ ')' -%}
    {%- set upper_letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' -%}
    {%- set other_chars = 'abcdefghijklmnopqrstuvwxyz0123456789' -%}
    {%- set flags = "translate(" ~ value ~ ", '" ~ upper_letters ~ other_chars ~ "', '"
        ~ '1' * 26 ~ '0' * 36 ~ "')" -%}
    {%- set patterns = [] -%}
    {%- for n in range(32) -%}
        {%- set bits = [] -%}
        {%- for position in range(5) -%}
            {%- do bits.append('1' if (n // (2 ** position)) % 2 == 1 else '0') -%}
        {%- endfor -%}
        {%- do patterns.append(bits | join('')) -%}
    {%- endfor -%}
    case
        when {{ leadseg.regex_matches(value, '^[a-zA-Z0-9]{18}$') }} then {{ value }}
        when {{ leadseg.regex_matches(value, '^[a-zA-Z0-9]{15}$') }} then {{ value }}
        {%- for chunk in range(3) %}
            || substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
                1 + cast(({{ dbt.position("substr(" ~ flags ~ ", " ~ (chunk * 5 + 1) ~ ", 5)", "'" ~ (patterns | join('|')) ~ "'") }} - 1) / 6 as integer), 1)
        {%- endfor %}
    end
{%- endmacro %}
