{#- Identity graphs that would have merged more distinct emails than
    `identity_max_emails_per_person` into one person, and were therefore not merged through
    anonymous/user ids. One row per such (candidate) component: worth a look by a human. -#}
with

resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

final as (
    select
        candidate_component_id,
        count(case when identifier_type = 'email' then 1 end) as email_count,
        count(case when identifier_type = 'anon' then 1 end) as anonymous_id_count,
        count(case when identifier_type = 'user' then 1 end) as user_id_count,
        count(case when identifier_type in ('lead', 'contact') then 1 end) as crm_record_count,
        count(distinct lead_id) as person_count,
        min(first_seen_at) as first_seen_at
    from resolved
    where is_merge_blocked
    group by candidate_component_id
)

select * from final
