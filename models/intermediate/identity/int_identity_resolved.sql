{{ config(materialized='table', post_hook="{{ identity_drop_work_tables('person') }}") }}

{#- Every identifier mapped to its connected component over the edges int_identity_links
    keeps (see there for the rules: disabled edge types, exclusions, merge protection) and,
    when the component holds an identifier that can anchor a person (seed
    `identity_identifier_types.can_anchor_person`: lead, contact, email; never one listed
    in `identity_exclusions`), to a person.

    `lead_id` is the md5 of the component's anchor: its EARLIEST anchoring identifier (first
    seen: created, for CRM records; first observed in an edge, for emails), ties broken by the
    seed's precedence (lead > contact > email) and then by value — never by row order. This
    makes it stable: data arriving later (a conversion's contact, a new lead for a known
    email, more visits) is seen later and never displaces the anchor, and an unrelated person
    cannot change it. It changes only when two people merge (the later one takes the earlier
    one's id) or when an exclusion splits a person (the part without the anchor gets a new
    id). One row per identifier. -#}
with

links as (
    select * from {{ ref('int_identity_links') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

identifier_types as (
    select * from {{ ref('identity_identifier_types') }}
),

-- An identifier analysts excluded (a shared test address) links nothing and is nobody: it
-- never anchors a person of its own.
excluded_identifiers as (
    select distinct trim(identifier) as identifier
    from {{ ref('identity_exclusions') }}
    where exclusion_type = 'identifier' and identifier is not null
),

node_observations as (
    select
        from_identifier as identifier,
        from_type as identifier_type,
        from_value as identifier_value,
        first_observed_at as seen_at
    from links
    union all
    select
        to_identifier as identifier,
        to_type as identifier_type,
        to_value as identifier_value,
        first_observed_at as seen_at
    from links
    union all
    select
        'lead:' || lead_id as identifier,
        'lead' as identifier_type,
        lead_id as identifier_value,
        created_at as seen_at
    from leads
    union all
    select
        'contact:' || contact_id as identifier,
        'contact' as identifier_type,
        contact_id as identifier_value,
        created_at as seen_at
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

linked_edges as (
    select from_identifier, to_identifier from links where is_linked
),

{{ identity_component_ctes(
    'person', 'nodes', 'linked_edges',
    edges_sql='select from_identifier, to_identifier from ' ~ ref('int_identity_links') ~ ' where is_linked'
) }},

candidate_of_node as (
    select from_identifier as identifier, min(candidate_component_id) as candidate_component_id
    from links
    group by from_identifier
    union
    select to_identifier as identifier, min(candidate_component_id) as candidate_component_id
    from links
    group by to_identifier
),

protected_nodes as (
    select from_identifier as identifier from links
    where unlink_reason in ('identifier_over_limit', 'component_over_limit', 'excluded_pair_component')
    union
    select to_identifier from links
    where unlink_reason in ('identifier_over_limit', 'component_over_limit', 'excluded_pair_component')
),

nodes_in_components as (
    select
        nodes.identifier,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.first_seen_at,
        person_components.component_id,
        coalesce(min(candidate_of_node.candidate_component_id), nodes.identifier) as candidate_component_id,
        max(case when protected_nodes.identifier is not null then 1 else 0 end) = 1 as is_merge_blocked,
        coalesce(
            max(
                case
                    when identifier_types.can_anchor_person and excluded_identifiers.identifier is null
                        then 1
                    else 0
                end
            ),
            0
        ) = 1 as can_anchor_person,
        coalesce(min(identifier_types.precedence), 99) as precedence
    from nodes
    inner join person_components on person_components.identifier = nodes.identifier
    left join candidate_of_node on candidate_of_node.identifier = nodes.identifier
    left join protected_nodes on protected_nodes.identifier = nodes.identifier
    left join identifier_types on identifier_types.identifier_type = nodes.identifier_type
    left join excluded_identifiers on excluded_identifiers.identifier = nodes.identifier
    group by
        nodes.identifier,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.first_seen_at,
        person_components.component_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by component_id
            order by
                case when can_anchor_person then 0 else 1 end,
                first_seen_at nulls last,
                precedence,
                identifier
        ) as anchor_rank
    from nodes_in_components
),

-- A component is a person when it holds an identifier that can anchor one: it then ranks first.
anchors as (
    select
        component_id,
        identifier as person_identifier,
        can_anchor_person as is_person
    from ranked
    where anchor_rank = 1
),

final as (
    select
        ranked.identifier,
        ranked.identifier_type,
        ranked.identifier_value,
        ranked.component_id,
        ranked.candidate_component_id,
        case when anchors.is_person then {{ dbt.hash('anchors.person_identifier') }} end as lead_id,
        case when anchors.is_person then anchors.person_identifier end as person_identifier,
        anchors.is_person,
        ranked.is_merge_blocked,
        ranked.first_seen_at
    from ranked
    inner join anchors on anchors.component_id = ranked.component_id
)

select * from final
