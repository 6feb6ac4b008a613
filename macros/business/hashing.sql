{#- Hex SHA-256 of a text expression (UTF-8), as ad platforms' customer-match expects. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'leadseg')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{#- The holdout bucket of a lead in a segment, in [0, 1): the first 8 bytes of
    SHA-256('<lead_id>|<segment_id>') as an unsigned integer over 2^64, capped just below 1.
    The same formula as leadseg.activation.hashing.holdout_bucket (tests compare them), so
    a lead's holdout never changes between runs or engines. -#}
{% macro holdout_bucket(lead_id, segment_id) -%}
    {{ return(adapter.dispatch('holdout_bucket', 'leadseg')(lead_id, segment_id)) }}
{%- endmacro %}

{% macro default__holdout_bucket(lead_id, segment_id) -%}
    least(
        cast(cast('0x' || left(sha256({{ lead_id }} || '|' || {{ segment_id }}), 16) as ubigint) as double)
        / 18446744073709551616.0,
        0.9999999999999999
    )
{%- endmacro %}

{% macro postgres__holdout_bucket(lead_id, segment_id) -%}
    {%- set hex = "encode(sha256(convert_to(" ~ lead_id ~ " || '|' || " ~ segment_id ~ ", 'UTF8')), 'hex')" -%}
    least(
        (('x' || substr({{ hex }}, 1, 8))::bit(32)::bigint::numeric * 4294967296
            + ('x' || substr({{ hex }}, 9, 8))::bit(32)::bigint)::double precision
        / 18446744073709551616::double precision,
        0.9999999999999999::double precision
    )
{%- endmacro %}
