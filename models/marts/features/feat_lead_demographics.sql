{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per snapshot date (feature_snapshots): who the person is. Seniority and department are parsed
    from the title (seed `title_patterns`). Only people known before the as-of date. CRM
    attributes are their current values (the CRM keeps no history here). -#}
with

snapshots as (
    {{ feature_snapshots() }}
),

people as (
    select people.*, snapshots.as_of_date, snapshots.as_of_at
    from {{ ref('int_people') }} as people
    inner join snapshots on people.created_at < snapshots.as_of_at
),

titles as (
    select * from {{ ref('int_people_titles_classified') }}
),

countries as (
    select upper(iso2) as country_code, region from {{ ref('country_codes') }}
),

final as (
    select
        people.lead_id,
        people.as_of_date,
        cast(coalesce(titles.seniority, 'other') as {{ dbt.type_string() }}) as seniority,
        cast(coalesce(titles.department, 'other') as {{ dbt.type_string() }}) as department,
        cast(people.country_code as {{ dbt.type_string() }}) as country_code,
        cast(countries.region as {{ dbt.type_string() }}) as region,
        cast(people.lead_source as {{ dbt.type_string() }}) as lead_source,
        cast({{ dbt.datediff('people.created_at', 'people.as_of_at', 'day') }} as bigint) as days_since_created,
        people.title is not null as has_title,
        people.is_business_email,
        people.is_in_crm,
        people.has_opted_out_of_email
    from people
    left join titles on titles.lead_id = people.lead_id
    left join countries on countries.country_code = people.country_code
)

select * from final
