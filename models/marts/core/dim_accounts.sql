{#- One row per Salesforce account with firmographics: industry normalised by seed
    `industry_mapping`, employee and revenue bands by seeds `employee_bands` /
    `revenue_bands` (lower bound inclusive, upper bound exclusive), region by country. -#}
with

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

industry_mapping as (
    select lower(trim(raw_industry)) as raw_industry, industry from {{ ref('industry_mapping') }}
),

employee_bands as (
    select * from {{ ref('employee_bands') }}
),

revenue_bands as (
    select * from {{ ref('revenue_bands') }}
),

countries as (
    select upper(iso2) as country_code, region from {{ ref('country_codes') }}
),

people as (
    select account_id, count(*) as lead_count
    from {{ ref('int_people') }}
    where account_id is not null
    group by account_id
),

opportunities as (
    select
        account_id,
        count(case when not is_closed then 1 end) as open_opportunity_count,
        count(case when is_won then 1 end) as won_opportunity_count,
        sum(case when not is_closed then amount_usd end) as open_pipeline_usd,
        min(case when is_won then close_date end) as first_won_date
    from {{ ref('stg_salesforce__opportunities') }}
    group by account_id
),

final as (
    select
        accounts.account_id,
        cast(accounts.account_name as {{ dbt.type_string() }}) as account_name,
        cast(accounts.website_domain as {{ dbt.type_string() }}) as website_domain,
        cast(
            case
                when accounts.industry is null then null
                else coalesce(industry_mapping.industry, 'Other')
            end as {{ dbt.type_string() }}
        ) as industry,
        cast(accounts.industry as {{ dbt.type_string() }}) as industry_raw,
        cast(accounts.account_type as {{ dbt.type_string() }}) as account_type,
        cast(employee_bands.employee_band as {{ dbt.type_string() }}) as employee_band,
        cast(revenue_bands.revenue_band as {{ dbt.type_string() }}) as revenue_band,
        cast(upper(accounts.billing_country_code) as {{ dbt.type_string() }}) as country_code,
        cast(countries.region as {{ dbt.type_string() }}) as region,
        cast(accounts.number_of_employees as bigint) as employee_count,
        cast(accounts.annual_revenue_usd as {{ type_double() }}) as annual_revenue_usd,
        cast(coalesce(people.lead_count, 0) as bigint) as lead_count,
        cast(coalesce(opportunities.open_opportunity_count, 0) as bigint) as open_opportunity_count,
        cast(coalesce(opportunities.won_opportunity_count, 0) as bigint) as won_opportunity_count,
        cast(coalesce(opportunities.open_pipeline_usd, 0) as {{ type_double() }}) as open_pipeline_usd,
        coalesce(opportunities.won_opportunity_count, 0) > 0
            or coalesce(lower(accounts.account_type) like 'customer%', false) as is_customer,
        cast(opportunities.first_won_date as date) as first_won_date,
        cast(accounts.created_at as {{ dbt.type_timestamp() }}) as created_at
    from accounts
    left join industry_mapping on industry_mapping.raw_industry = lower(trim(accounts.industry))
    left join employee_bands
        on accounts.number_of_employees >= employee_bands.lower_bound
        and (employee_bands.upper_bound is null or accounts.number_of_employees < employee_bands.upper_bound)
    left join revenue_bands
        on accounts.annual_revenue_usd >= revenue_bands.lower_bound_usd
        and (revenue_bands.upper_bound_usd is null or accounts.annual_revenue_usd < revenue_bands.upper_bound_usd)
    left join countries on countries.country_code = upper(accounts.billing_country_code)
    left join people on people.account_id = accounts.account_id
    left join opportunities on opportunities.account_id = accounts.account_id
)

select * from final
