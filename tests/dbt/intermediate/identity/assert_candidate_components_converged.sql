-- The candidate walk of int_identity_links runs a fixed number of rounds (var
-- identity_max_rounds). An edge it used whose two ends still hold different component ids
-- means a component needed more rounds: merge protection would count it in pieces. Every
-- row returned is such an edge; raise identity_max_rounds.
with

links as (
    select * from {{ ref('int_identity_links') }}
),

final as (
    select
        edge_id,
        from_identifier,
        to_identifier,
        candidate_component_id,
        to_candidate_component_id
    from links
    where
        (unlink_reason is null or unlink_reason in ('component_over_limit', 'excluded_pair_component'))
        and candidate_component_id <> to_candidate_component_id
)

select * from final
