{#- Connected components of an identity graph, as CTEs to splice into a `with recursive`
    block. `nodes` is a CTE with an `identifier` column, `edges` one with `from_identifier`
    and `to_identifier`. Defines `<prefix>_adjacency`, `<prefix>_reach` and
    `<prefix>_components` (identifier, component_id = the smallest identifier it reaches).
    The walk is a recursive CTE with UNION (it terminates on cycles on DuckDB and
    PostgreSQL); its cost is the sum over components of size², fine for person-sized
    components, which merge protection keeps small. -#}
{% macro identity_component_ctes(prefix, nodes, edges) -%}
{{ prefix }}_adjacency as (
    select from_identifier as identifier, to_identifier as neighbour from {{ edges }}
    union
    select to_identifier as identifier, from_identifier as neighbour from {{ edges }}
),

{{ prefix }}_reach (identifier, component_seed) as (
    select identifier, identifier as component_seed from {{ nodes }}
    union
    select {{ prefix }}_adjacency.neighbour, {{ prefix }}_reach.component_seed
    from {{ prefix }}_reach
    inner join {{ prefix }}_adjacency on {{ prefix }}_adjacency.identifier = {{ prefix }}_reach.identifier
),

{{ prefix }}_components as (
    select identifier, min(component_seed) as component_id
    from {{ prefix }}_reach
    group by identifier
)
{%- endmacro %}
