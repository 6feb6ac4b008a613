{{ config(materialized='table') }}

{#- Every identifier mapped to its connected component (transitive closure over the edges,
    via a recursive CTE with UNION, so it terminates on cycles on DuckDB and PostgreSQL) and,
    when the component holds a CRM record or an email, to a person (`lead_id`).

    Merge protection: a component with more distinct emails than
    `identity_max_emails_per_person` is not one person (a shared browser, a kiosk, a test
    account). Its anonymous/user edges are dropped and the closure recomputed, so the CRM and
    email identities in it stay apart and its anonymous/user ids stay unattributed.

    `lead_id` is a hash of the component's most trusted, earliest identifier: contact >
    lead (earliest created) > email > user > anon; ties broken by value, never row order. -#}
with recursive

edges as (
    select * from {{ ref('int_identity_edges') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

node_observations as (
    select from_identifier as identifier, from_type as identifier_type, from_value as identifier_value, first_observed_at as seen_at
    from edges
    union all
    select to_identifier, to_type, to_value, first_observed_at
    from edges
    union all
    select 'lead:' || lead_id, 'lead', lead_id, created_at
    from leads
    union all
    select 'contact:' || contact_id, 'contact', contact_id, created_at
    from contacts
),

nodes as (
    select
        identifier,
        identifier_type,
        identifier_value,
        min(seen_at) as first_seen_at
    from node_observations
    group by identifier, identifier_type, identifier_value
),

adjacency as (
    select from_identifier as identifier, to_identifier as neighbour from edges
    union
    select to_identifier as identifier, from_identifier as neighbour from edges
),

-- Every node walks to every node it can reach; the component is the smallest start.
reach (identifier, component_seed) as (
    select identifier, identifier as component_seed from nodes
    union
    select adjacency.neighbour, reach.component_seed
    from reach
    inner join adjacency on adjacency.identifier = reach.identifier
),

candidate_components as (
    select identifier, min(component_seed) as candidate_component_id
    from reach
    group by identifier
),

candidate_sizes as (
    select
        candidate_components.candidate_component_id,
        count(case when nodes.identifier_type = 'email' then 1 end) as email_count
    from candidate_components
    inner join nodes on nodes.identifier = candidate_components.identifier
    group by candidate_components.candidate_component_id
),

oversized_nodes as (
    select candidate_components.identifier
    from candidate_components
    inner join candidate_sizes
        on candidate_sizes.candidate_component_id = candidate_components.candidate_component_id
    where candidate_sizes.email_count > {{ var('identity_max_emails_per_person') }}
),

trusted_edges as (
    select edges.from_identifier, edges.to_identifier
    from edges
    left join oversized_nodes on oversized_nodes.identifier = edges.from_identifier
    where not (edges.is_behavioural_edge and oversized_nodes.identifier is not null)
),

trusted_adjacency as (
    select from_identifier as identifier, to_identifier as neighbour from trusted_edges
    union
    select to_identifier as identifier, from_identifier as neighbour from trusted_edges
),

trusted_reach (identifier, component_seed) as (
    select identifier, identifier as component_seed from nodes
    union
    select trusted_adjacency.neighbour, trusted_reach.component_seed
    from trusted_reach
    inner join trusted_adjacency on trusted_adjacency.identifier = trusted_reach.identifier
),

components as (
    select identifier, min(component_seed) as component_id
    from trusted_reach
    group by identifier
),

nodes_in_components as (
    select
        nodes.identifier,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.first_seen_at,
        components.component_id,
        candidate_components.candidate_component_id,
        oversized_nodes.identifier is not null as is_merge_blocked,
        row_number() over (
            partition by components.component_id
            order by
                case nodes.identifier_type
                    when 'contact' then 1
                    when 'lead' then 2
                    when 'email' then 3
                    when 'user' then 4
                    else 5
                end,
                nodes.first_seen_at nulls last,
                nodes.identifier
        ) as trust_rank
    from nodes
    inner join components on components.identifier = nodes.identifier
    inner join candidate_components on candidate_components.identifier = nodes.identifier
    left join oversized_nodes on oversized_nodes.identifier = nodes.identifier
),

-- A component is a person when it holds a CRM record or an email: its most trusted node is
-- then a contact, lead or email (they rank before user and anon).
anchors as (
    select
        component_id,
        identifier as person_identifier,
        identifier_type in ('contact', 'lead', 'email') as is_person
    from nodes_in_components
    where trust_rank = 1
),

final as (
    select
        nodes_in_components.identifier,
        nodes_in_components.identifier_type,
        nodes_in_components.identifier_value,
        nodes_in_components.component_id,
        nodes_in_components.candidate_component_id,
        case when anchors.is_person then {{ dbt.hash('anchors.person_identifier') }} end as lead_id,
        case when anchors.is_person then anchors.person_identifier end as person_identifier,
        anchors.is_person,
        nodes_in_components.is_merge_blocked,
        nodes_in_components.first_seen_at
    from nodes_in_components
    inner join anchors on anchors.component_id = nodes_in_components.component_id
)

select * from final
