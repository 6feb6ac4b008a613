{#- Merges that merge protection or an excluded pair refused: an anonymous/user id that by
    itself linked more identifiers of a type than the type's `max_per_person` (a shared
    browser, a kiosk, a test login), or a component that still held too many, or both ends of
    an excluded pair. One row per refusal, for a human to look at. -#}
with

links as (
    select * from {{ ref('int_identity_links') }}
    where protection_key is not null
),

resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

ends as (
    select protection_key, unlink_reason, from_identifier as identifier from links
    union
    select protection_key, unlink_reason, to_identifier from links
),

final as (
    select
        ends.protection_key,
        min(ends.unlink_reason) as protection_reason,
        min(resolved.candidate_component_id) as candidate_component_id,
        count(case when resolved.identifier_type = 'email' then 1 end) as email_count,
        count(case when resolved.identifier_type = 'user' then 1 end) as user_id_count,
        count(case when resolved.identifier_type = 'anon' then 1 end) as anonymous_id_count,
        count(case when resolved.identifier_type in ('lead', 'contact') then 1 end) as crm_record_count,
        count(distinct resolved.lead_id) as person_count,
        min(resolved.first_seen_at) as first_seen_at
    from ends
    inner join resolved on resolved.identifier = ends.identifier
    group by ends.protection_key
)

select * from final
