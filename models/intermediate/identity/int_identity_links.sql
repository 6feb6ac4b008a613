{{ config(materialized='table', post_hook="{{ identity_drop_work_tables('candidate') }}") }}

{#- Every edge of the identity graph with the decision whether it links its two ends, by the
    rules analysts edit in seeds/identity/:

    1. `identity_edge_rules.is_enabled = false`     → edge_type_disabled
    2. an end listed in `identity_exclusions` (identifier) → excluded_identifier
    3. the pair listed in `identity_exclusions` (pair)     → excluded_pair
    4. an anonymous/user id that by itself links more identifiers of a type than that type's
       `identity_identifier_types.max_per_person` (a shared browser or kiosk, a test login):
       all its edges                                 → identifier_over_limit
    5. a component (of the edges left) that still holds more of a type than its limit, or
       both ends of an excluded pair: its behavioural (anonymous/user) edges
                                                     → component_over_limit / excluded_pair_component
    One row per edge of int_identity_edges. -#}
{#- Rules 1–4 as CTEs, set once: the model reads them, and (while dbt builds it) the
    component walk materialises the candidate edges from them. -#}
{%- set rule_ctes -%}
edges as (
    select * from {{ ref('int_identity_edges') }}
),

identifier_types as (
    select * from {{ ref('identity_identifier_types') }}
),

edge_rules as (
    select * from {{ ref('identity_edge_rules') }}
),

exclusions as (
    select * from {{ ref('identity_exclusions') }}
),

excluded_identifiers as (
    select distinct trim(identifier) as identifier
    from exclusions
    where exclusion_type = 'identifier' and identifier is not null
),

excluded_pairs as (
    select trim(identifier) as identifier_a, trim(other_identifier) as identifier_b
    from exclusions
    where exclusion_type = 'pair' and identifier is not null and other_identifier is not null
    union
    select trim(other_identifier) as identifier_a, trim(identifier) as identifier_b
    from exclusions
    where exclusion_type = 'pair' and identifier is not null and other_identifier is not null
),

-- Rules 1–3: decided per edge.
ruled as (
    select
        edges.*,
        case
            when not coalesce(edge_rules.is_enabled, true) then 'edge_type_disabled'
            when excluded_from.identifier is not null or excluded_to.identifier is not null
                then 'excluded_identifier'
            when excluded_pairs.identifier_a is not null then 'excluded_pair'
        end as rule_reason
    from edges
    left join edge_rules on edge_rules.edge_type = edges.edge_type
    left join excluded_identifiers as excluded_from on excluded_from.identifier = edges.from_identifier
    left join excluded_identifiers as excluded_to on excluded_to.identifier = edges.to_identifier
    left join excluded_pairs
        on excluded_pairs.identifier_a = edges.from_identifier
        and excluded_pairs.identifier_b = edges.to_identifier
),

-- Rule 4: an anonymous or user id whose own edges reach too many identifiers of one type.
neighbours as (
    select from_identifier as identifier, from_type as identifier_type, to_identifier as neighbour, to_type as neighbour_type
    from ruled
    where rule_reason is null
    union
    select to_identifier, to_type, from_identifier, from_type
    from ruled
    where rule_reason is null
),

over_limit_identifiers as (
    select distinct neighbour_counts.identifier
    from (
        select identifier, neighbour_type, count(distinct neighbour) as neighbour_count
        from neighbours
        where identifier_type in ('anon', 'user')
        group by identifier, neighbour_type
    ) as neighbour_counts
    inner join identifier_types on identifier_types.identifier_type = neighbour_counts.neighbour_type
    where neighbour_counts.neighbour_count > identifier_types.max_per_person
),

hub_ruled as (
    select
        ruled.*,
        coalesce(
            ruled.rule_reason,
            case
                when over_from.identifier is not null or over_to.identifier is not null
                    then 'identifier_over_limit'
            end
        ) as edge_reason,
        case
            when ruled.rule_reason is not null then null
            when over_from.identifier is not null then over_from.identifier
            when over_to.identifier is not null then over_to.identifier
        end as over_limit_identifier
    from ruled
    left join over_limit_identifiers as over_from on over_from.identifier = ruled.from_identifier
    left join over_limit_identifiers as over_to on over_to.identifier = ruled.to_identifier
)
{%- endset -%}
{%- set candidate_edges_sql -%}
select from_identifier, to_identifier from hub_ruled where edge_reason is null
{%- endset %}
with

{{ rule_ctes }},

candidate_edges as (
    {{ candidate_edges_sql }}
),

endpoints as (
    select from_identifier as identifier, from_type as identifier_type from edges
    union
    select to_identifier, to_type from edges
),

{{ identity_component_ctes(
    'candidate', 'endpoints', 'candidate_edges',
    edges_sql='with ' ~ rule_ctes ~ ' ' ~ candidate_edges_sql
) }},

-- Rule 5: components that are still too big, or join an excluded pair.
candidate_type_counts as (
    select
        candidate_components.component_id,
        endpoints.identifier_type,
        count(*) as identifier_count
    from candidate_components
    inner join endpoints on endpoints.identifier = candidate_components.identifier
    group by candidate_components.component_id, endpoints.identifier_type
),

-- The component of each end of an excluded pair. (Comparing the two ends' components in a
-- join on component_id would pair every two members of a large component.)
excluded_pair_ends as (
    select excluded_pairs.identifier_a, excluded_pairs.identifier_b, candidate_components.component_id
    from excluded_pairs
    inner join candidate_components on candidate_components.identifier = excluded_pairs.identifier_a
    union all
    select excluded_pairs.identifier_a, excluded_pairs.identifier_b, candidate_components.component_id
    from excluded_pairs
    inner join candidate_components on candidate_components.identifier = excluded_pairs.identifier_b
),

blocked_components as (
    select candidate_type_counts.component_id, 'component_over_limit' as block_reason
    from candidate_type_counts
    inner join identifier_types on identifier_types.identifier_type = candidate_type_counts.identifier_type
    where candidate_type_counts.identifier_count > identifier_types.max_per_person
    union
    select min(component_id) as component_id, 'excluded_pair_component' as block_reason
    from excluded_pair_ends
    group by identifier_a, identifier_b
    having count(*) = 2 and count(distinct component_id) = 1
),

component_blocks as (
    select component_id, min(block_reason) as block_reason
    from blocked_components
    group by component_id
),

decided as (
    select
        hub_ruled.edge_id,
        hub_ruled.from_identifier,
        hub_ruled.to_identifier,
        hub_ruled.from_type,
        hub_ruled.from_value,
        hub_ruled.to_type,
        hub_ruled.to_value,
        hub_ruled.edge_type,
        hub_ruled.source_model,
        hub_ruled.source_row_id,
        hub_ruled.observation_count,
        hub_ruled.is_behavioural_edge,
        hub_ruled.first_observed_at,
        candidate_components.component_id as candidate_component_id,
        to_components.component_id as to_candidate_component_id,
        coalesce(
            hub_ruled.edge_reason,
            case when hub_ruled.is_behavioural_edge then component_blocks.block_reason end
        ) as unlink_reason,
        case
            when hub_ruled.edge_reason = 'identifier_over_limit' then hub_ruled.over_limit_identifier
            when hub_ruled.edge_reason is null and hub_ruled.is_behavioural_edge
                and component_blocks.block_reason is not null
                then candidate_components.component_id
        end as protection_key
    from hub_ruled
    inner join candidate_components on candidate_components.identifier = hub_ruled.from_identifier
    inner join candidate_components as to_components on to_components.identifier = hub_ruled.to_identifier
    left join component_blocks on component_blocks.component_id = candidate_components.component_id
),

final as (
    select
        *,
        unlink_reason is null as is_linked
    from decided
)

select * from final
