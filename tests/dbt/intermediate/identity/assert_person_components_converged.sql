-- The person walk of int_identity_resolved runs a fixed number of rounds (var
-- identity_max_rounds). A linked edge whose two ends hold different component ids means a
-- component needed more rounds: one person would get several lead_ids. Every row returned
-- is such an edge; raise identity_max_rounds.
with

links as (
    select * from {{ ref('int_identity_links') }}
),

resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

final as (
    select
        links.edge_id,
        links.from_identifier,
        links.to_identifier,
        from_resolved.component_id as from_component_id,
        to_resolved.component_id as to_component_id
    from links
    inner join resolved as from_resolved on from_resolved.identifier = links.from_identifier
    inner join resolved as to_resolved on to_resolved.identifier = links.to_identifier
    where links.is_linked and from_resolved.component_id <> to_resolved.component_id
)

select * from final
