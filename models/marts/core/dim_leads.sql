{#- One row per person: a Salesforce lead and the contact it converted to are one row; a web
    visitor who identified with an email but is not in the CRM is a person too. The only mart
    with PII (email, names). -#}
with

people as (
    select * from {{ ref('int_people') }}
),

titles as (
    select * from {{ ref('int_people_titles_classified') }}
),

countries as (
    select upper(iso2) as country_code, region from {{ ref('country_codes') }}
),

accounts as (
    select account_id, is_customer from {{ ref('dim_accounts') }}
),

-- The person's own opportunities (converted lead, contact role), not every deal of the account.
opportunities as (
    select
        lead_id,
        max(case when not is_closed then 1 else 0 end) = 1 as has_open_opportunity,
        max(case when is_won then 1 else 0 end) = 1 as has_won_opportunity
    from {{ ref('int_lead_opportunities') }}
    where link_type in ('converted_lead', 'contact_role')
    group by lead_id
),

joined as (
    select
        people.*,
        titles.seniority,
        titles.department,
        countries.region,
        coalesce(opportunities.has_open_opportunity, false) as has_open_opportunity,
        coalesce(opportunities.has_won_opportunity, false)
            or coalesce(accounts.is_customer, false) as is_customer
    from people
    left join titles on titles.lead_id = people.lead_id
    left join countries on countries.country_code = people.country_code
    left join accounts on accounts.account_id = people.account_id
    left join opportunities on opportunities.lead_id = people.lead_id
),

final as (
    select
        lead_id,
        salesforce_lead_id,
        salesforce_contact_id,
        account_id,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(email_domain as {{ dbt.type_string() }}) as email_domain,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(seniority as {{ dbt.type_string() }}) as seniority,
        cast(department as {{ dbt.type_string() }}) as department,
        cast(company_name as {{ dbt.type_string() }}) as company_name,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(
            {{ lifecycle_stage('is_customer', 'has_open_opportunity', 'is_converted', 'lead_status', 'lead_rating', 'is_in_crm') }}
            as {{ dbt.type_string() }}
        ) as lifecycle_stage,
        cast(lead_source as {{ dbt.type_string() }}) as lead_source,
        cast(lead_status as {{ dbt.type_string() }}) as lead_status,
        cast(account_match_method as {{ dbt.type_string() }}) as account_match_method,
        cast(crm_lead_count as bigint) as crm_lead_count,
        cast(anonymous_id_count as bigint) as anonymous_id_count,
        is_business_email,
        is_in_crm,
        is_converted,
        has_opted_out_of_email,
        is_customer,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(converted_at as {{ dbt.type_timestamp() }}) as converted_at
    from joined
)

select * from final
