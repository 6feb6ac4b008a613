{#- Which opportunities belong to which person: through a converted lead's opportunity, a
    contact role on the opportunity, or the person's account. One row per person per
    opportunity, with the strongest link kept. -#}
with

resolved as (
    select * from {{ ref('int_identity_resolved') }}
),

people as (
    select * from {{ ref('int_people') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contact_roles as (
    select * from {{ ref('stg_salesforce__opportunity_contact_roles') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

via_converted_lead as (
    select
        resolved.lead_id,
        leads.converted_opportunity_id as opportunity_id,
        1 as link_strength,
        'converted_lead' as link_type
    from resolved
    inner join leads on resolved.identifier_type = 'lead' and resolved.identifier_value = leads.lead_id
    where resolved.lead_id is not null and leads.converted_opportunity_id is not null
),

via_contact_role as (
    select
        resolved.lead_id,
        contact_roles.opportunity_id,
        2 as link_strength,
        'contact_role' as link_type
    from resolved
    inner join contact_roles
        on resolved.identifier_type = 'contact' and resolved.identifier_value = contact_roles.contact_id
    where resolved.lead_id is not null
),

via_account as (
    select
        people.lead_id,
        opportunities.opportunity_id,
        3 as link_strength,
        'account' as link_type
    from people
    inner join opportunities on opportunities.account_id = people.account_id
),

links as (
    select * from via_converted_lead
    union all
    select * from via_contact_role
    union all
    select * from via_account
),

strongest as (
    select
        *,
        row_number() over (partition by lead_id, opportunity_id order by link_strength) as link_rank
    from links
),

final as (
    select
        strongest.lead_id,
        opportunities.opportunity_id,
        opportunities.account_id,
        strongest.link_type,
        opportunities.stage_name,
        opportunities.amount_usd,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.close_date,
        opportunities.created_at
    from strongest
    inner join opportunities on opportunities.opportunity_id = strongest.opportunity_id
    where strongest.link_rank = 1
)

select * from final
