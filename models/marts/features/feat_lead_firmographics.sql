{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per snapshot date (feature_snapshots): the company the person works for. From the person's
    account when there is one, else from what the lead record says about its company.
    Opportunity counts and customer status are as of the snapshot (opportunities created
    before it, open then, won before it); the account's own fields are their current values. -#}
with

snapshots as (
    {{ feature_snapshots() }}
),

people as (
    select people.*, snapshots.as_of_date, snapshots.as_of_at
    from {{ ref('int_people') }} as people
    inner join snapshots on people.created_at < snapshots.as_of_at
),

accounts as (
    select * from {{ ref('dim_accounts') }}
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

opportunities_at_snapshot as (
    select
        opportunities.account_id,
        snapshots.as_of_date,
        count(case when opportunities.is_won and opportunities.close_date < snapshots.as_of_date then 1 end)
            as won_opportunity_count,
        count(
            case
                when not opportunities.is_closed or opportunities.close_date >= snapshots.as_of_date then 1
            end
        ) as open_opportunity_count
    from {{ ref('stg_salesforce__opportunities') }} as opportunities
    inner join snapshots on opportunities.created_at < snapshots.as_of_at
    group by opportunities.account_id, snapshots.as_of_date
),

account_people as (
    select account_id, as_of_date, count(*) as lead_count
    from people
    where account_id is not null
    group by account_id, as_of_date
),

combined as (
    select
        people.lead_id,
        people.as_of_date,
        people.account_id,
        case
            when accounts.account_id is not null then 'account'
            when people.lead_industry is not null
                or people.lead_number_of_employees is not null
                or people.lead_annual_revenue_usd is not null then 'lead'
            else 'none'
        end as firmographics_source,
        coalesce(
            accounts.industry,
            case when people.lead_industry is not null then coalesce(industry_mapping.industry, 'Other') end
        ) as industry,
        coalesce(accounts.employee_count, people.lead_number_of_employees) as employee_count,
        coalesce(accounts.annual_revenue_usd, people.lead_annual_revenue_usd) as annual_revenue_usd,
        accounts.country_code as account_country_code,
        accounts.region as account_region,
        coalesce(account_people.lead_count, 0) as account_lead_count,
        coalesce(opportunities_at_snapshot.open_opportunity_count, 0) as account_open_opportunity_count,
        coalesce(opportunities_at_snapshot.won_opportunity_count, 0) > 0 as is_customer_account
    from people
    left join accounts on accounts.account_id = people.account_id
    left join industry_mapping on industry_mapping.raw_industry = lower(trim(people.lead_industry))
    left join account_people
        on account_people.account_id = people.account_id and account_people.as_of_date = people.as_of_date
    left join opportunities_at_snapshot
        on opportunities_at_snapshot.account_id = people.account_id
        and opportunities_at_snapshot.as_of_date = people.as_of_date
),

final as (
    select
        combined.lead_id,
        combined.as_of_date,
        combined.account_id,
        cast(combined.firmographics_source as {{ dbt.type_string() }}) as firmographics_source,
        cast(combined.industry as {{ dbt.type_string() }}) as industry,
        cast(employee_bands.employee_band as {{ dbt.type_string() }}) as employee_band,
        cast(revenue_bands.revenue_band as {{ dbt.type_string() }}) as revenue_band,
        cast(combined.account_country_code as {{ dbt.type_string() }}) as account_country_code,
        cast(combined.account_region as {{ dbt.type_string() }}) as account_region,
        cast(combined.employee_count as bigint) as employee_count,
        cast(combined.annual_revenue_usd as {{ type_double() }}) as annual_revenue_usd,
        cast(employee_bands.sort_order as bigint) as employee_band_order,
        cast(revenue_bands.sort_order as bigint) as revenue_band_order,
        cast(combined.account_lead_count as bigint) as account_lead_count,
        cast(combined.account_open_opportunity_count as bigint) as account_open_opportunity_count,
        combined.is_customer_account
    from combined
    left join employee_bands
        on combined.employee_count >= employee_bands.lower_bound
        and (employee_bands.upper_bound is null or combined.employee_count < employee_bands.upper_bound)
    left join revenue_bands
        on combined.annual_revenue_usd >= revenue_bands.lower_bound_usd
        and (revenue_bands.upper_bound_usd is null or combined.annual_revenue_usd < revenue_bands.upper_bound_usd)
)

select * from final
