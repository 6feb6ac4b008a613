{{ config(materialized='table') }}

{#- Why are these two the same person? Every edge of the identity graph with the person on
    each end, whether it linked them, and the source row that showed it (model and row id:
    lead or contact id, Segment message id). Filter on a lead_id to see every piece of
    evidence that made the person; rows with `is_linked = false` show what was refused and
    why. One row per edge. -#}
with

links as (
    select * from {{ ref('int_identity_links') }}
),

resolved as (
    select identifier, lead_id, component_id from {{ ref('int_identity_resolved') }}
),

final as (
    select
        links.edge_id,
        coalesce(from_side.lead_id, to_side.lead_id) as lead_id,
        from_side.lead_id as from_lead_id,
        to_side.lead_id as to_lead_id,
        from_side.component_id as from_component_id,
        to_side.component_id as to_component_id,
        links.from_identifier,
        links.to_identifier,
        links.edge_type,
        links.is_linked,
        links.unlink_reason,
        links.source_model,
        links.source_row_id,
        links.observation_count,
        links.first_observed_at,
        links.candidate_component_id
    from links
    inner join resolved as from_side on from_side.identifier = links.from_identifier
    inner join resolved as to_side on to_side.identifier = links.to_identifier
)

select * from final
