{{ config(materialized='table') }}

{#- One row per person (a resolved identity with a CRM record or an email) with the best
    attributes: the earliest contact wins, then the earliest lead, then the latest identify
    traits. The account comes from the contact, else the lead's converted account, else an
    account whose website domain equals the (business, not free-mail) email domain. -#}
with

resolved as (
    select * from {{ ref('int_identity_resolved') }}
    where lead_id is not null
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

free_email_domains as (
    select lower(email_domain) as email_domain from {{ ref('free_email_domains') }}
),

persons as (
    select distinct lead_id, person_identifier
    from resolved
),

person_contacts as (
    select
        resolved.lead_id,
        contacts.*,
        row_number() over (
            partition by resolved.lead_id order by contacts.created_at, contacts.contact_id
        ) as contact_rank
    from resolved
    inner join contacts
        on resolved.identifier_type = 'contact' and resolved.identifier_value = contacts.contact_id
),

person_leads as (
    select
        resolved.lead_id as person_id,
        leads.*,
        row_number() over (
            partition by resolved.lead_id order by leads.created_at, leads.lead_id
        ) as lead_rank
    from resolved
    inner join leads
        on resolved.identifier_type = 'lead' and resolved.identifier_value = leads.lead_id
),

crm_rollup as (
    select
        person_id as lead_id,
        count(*) as crm_lead_count,
        max(case when is_converted then 1 else 0 end) = 1 as is_converted,
        min(case when is_converted then converted_date end) as converted_date,
        max(converted_account_id) as any_converted_account_id,
        max(case when has_opted_out_of_email then 1 else 0 end) = 1 as has_lead_opted_out
    from person_leads
    group by person_id
),

contact_rollup as (
    select
        lead_id,
        count(*) as crm_contact_count,
        max(case when has_opted_out_of_email then 1 else 0 end) = 1 as has_contact_opted_out
    from person_contacts
    group by lead_id
),

-- Visitors identify through anonymous or user ids: the latest traits they gave.
-- The identify calls of each person, through its anonymous ids or its user ids: two equi-joins
-- (one `or` join condition defeats hash joins and compares every identifier with every call);
-- `union` keeps a call carrying both ids once.
person_identifies as (
    select resolved.lead_id, identifies.event_id
    from resolved
    inner join identifies
        on resolved.identifier_value = identifies.anonymous_id
    where resolved.identifier_type = 'anon'
    union
    select resolved.lead_id, identifies.event_id
    from resolved
    inner join identifies
        on resolved.identifier_value = identifies.user_id
    where resolved.identifier_type = 'user'
),

identify_traits as (
    select
        person_identifies.lead_id,
        identifies.email,
        identifies.first_name,
        identifies.last_name,
        identifies.title,
        identifies.company,
        identifies.event_at,
        row_number() over (
            partition by person_identifies.lead_id
            order by identifies.event_at desc, identifies.event_id desc
        ) as identify_rank
    from person_identifies
    inner join identifies on identifies.event_id = person_identifies.event_id
),

person_emails as (
    select
        lead_id,
        identifier_value as email,
        first_seen_at,
        row_number() over (partition by lead_id order by first_seen_at nulls last, identifier_value) as email_rank
    from resolved
    where identifier_type = 'email'
),

anonymous_ids as (
    select lead_id, count(*) as anonymous_id_count
    from resolved
    where identifier_type = 'anon'
    group by lead_id
),

first_seen as (
    select lead_id, min(first_seen_at) as first_seen_at
    from resolved
    group by lead_id
),

combined as (
    select
        persons.lead_id,
        persons.person_identifier,
        person_leads.lead_id as salesforce_lead_id,
        person_contacts.contact_id as salesforce_contact_id,
        coalesce(
            lower(trim(person_contacts.email)),
            lower(trim(person_leads.email)),
            person_emails.email
        ) as email,
        coalesce(person_contacts.first_name, person_leads.first_name, identify_traits.first_name) as first_name,
        coalesce(person_contacts.last_name, person_leads.last_name, identify_traits.last_name) as last_name,
        coalesce(person_contacts.title, person_leads.title, identify_traits.title) as title,
        person_contacts.department as crm_department,
        coalesce(person_leads.company, identify_traits.company) as company_name,
        person_contacts.account_id as contact_account_id,
        coalesce(person_leads.converted_account_id, crm_rollup.any_converted_account_id) as converted_account_id,
        coalesce(person_contacts.lead_source, person_leads.lead_source) as lead_source,
        person_leads.status as lead_status,
        person_leads.rating as lead_rating,
        coalesce(person_contacts.country_code, person_leads.country_code) as country_code,
        coalesce(person_contacts.state, person_leads.state) as state,
        coalesce(person_contacts.city, person_leads.city) as city,
        person_leads.industry as lead_industry,
        person_leads.number_of_employees as lead_number_of_employees,
        person_leads.annual_revenue_usd as lead_annual_revenue_usd,
        coalesce(crm_rollup.crm_lead_count, 0) as crm_lead_count,
        coalesce(contact_rollup.crm_contact_count, 0) as crm_contact_count,
        coalesce(anonymous_ids.anonymous_id_count, 0) as anonymous_id_count,
        coalesce(crm_rollup.is_converted, false) or person_contacts.contact_id is not null as is_converted,
        coalesce(crm_rollup.has_lead_opted_out, false)
            or coalesce(contact_rollup.has_contact_opted_out, false) as has_opted_out_of_email,
        cast(crm_rollup.converted_date as {{ dbt.type_timestamp() }}) as converted_at,
        coalesce(
            case
                when person_contacts.created_at is null then person_leads.created_at
                when person_leads.created_at is null then person_contacts.created_at
                when person_leads.created_at < person_contacts.created_at then person_leads.created_at
                else person_contacts.created_at
            end,
            first_seen.first_seen_at
        ) as created_at
    from persons
    left join person_contacts
        on person_contacts.lead_id = persons.lead_id and person_contacts.contact_rank = 1
    left join person_leads
        on person_leads.person_id = persons.lead_id and person_leads.lead_rank = 1
    left join crm_rollup on crm_rollup.lead_id = persons.lead_id
    left join contact_rollup on contact_rollup.lead_id = persons.lead_id
    left join identify_traits
        on identify_traits.lead_id = persons.lead_id and identify_traits.identify_rank = 1
    left join person_emails
        on person_emails.lead_id = persons.lead_id and person_emails.email_rank = 1
    left join anonymous_ids on anonymous_ids.lead_id = persons.lead_id
    left join first_seen on first_seen.lead_id = persons.lead_id
),

with_domain as (
    select
        combined.*,
        case
            when {{ dbt.position("'@'", 'combined.email') }} > 0
                then lower({{ dbt.split_part('combined.email', "'@'", 2) }})
        end as email_domain
    from combined
),

-- Several accounts may share a website domain: the earliest created one wins.
accounts_by_domain as (
    select
        lower(website_domain) as website_domain,
        account_id,
        row_number() over (
            partition by lower(website_domain) order by created_at, account_id
        ) as domain_rank
    from accounts
    where website_domain is not null and website_domain <> ''
),

final as (
    select
        with_domain.lead_id,
        with_domain.person_identifier,
        with_domain.salesforce_lead_id,
        with_domain.salesforce_contact_id,
        with_domain.email,
        with_domain.email_domain,
        with_domain.first_name,
        with_domain.last_name,
        with_domain.title,
        with_domain.crm_department,
        with_domain.company_name,
        coalesce(
            contact_accounts.account_id,
            converted_accounts.account_id,
            accounts_by_domain.account_id
        ) as account_id,
        case
            when contact_accounts.account_id is not null then 'contact'
            when converted_accounts.account_id is not null then 'converted_lead'
            when accounts_by_domain.account_id is not null then 'email_domain'
        end as account_match_method,
        with_domain.lead_source,
        with_domain.lead_status,
        with_domain.lead_rating,
        upper(with_domain.country_code) as country_code,
        with_domain.state,
        with_domain.city,
        with_domain.lead_industry,
        with_domain.lead_number_of_employees,
        with_domain.lead_annual_revenue_usd,
        with_domain.crm_lead_count,
        with_domain.crm_contact_count,
        with_domain.anonymous_id_count,
        with_domain.email_domain is not null
            and free_email_domains.email_domain is null as is_business_email,
        with_domain.crm_lead_count + with_domain.crm_contact_count > 0 as is_in_crm,
        with_domain.is_converted,
        with_domain.has_opted_out_of_email,
        with_domain.created_at,
        with_domain.converted_at
    from with_domain
    -- an account id that is not (or no longer) in the CRM does not count: it would dangle
    left join accounts as contact_accounts
        on contact_accounts.account_id = with_domain.contact_account_id
    left join accounts as converted_accounts
        on converted_accounts.account_id = with_domain.converted_account_id
    left join free_email_domains
        on free_email_domains.email_domain = with_domain.email_domain
    left join accounts_by_domain
        on accounts_by_domain.website_domain = with_domain.email_domain
        and accounts_by_domain.domain_rank = 1
        and free_email_domains.email_domain is null
)

select * from final
