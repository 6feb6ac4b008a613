-- depends_on: {{ ref('stg_salesforce__accounts') }}
{{
    config(
        materialized='incremental',
        incremental_strategy=replace_dates_strategy(),
        partition_by=replace_dates_partition_by(),
        unique_key='as_of_date',
        on_schema_change='append_new_columns',
    )
}}

{#- One row per lead per snapshot date (feature_snapshots): the devices, operating systems and
    browsers the person used in the 90 days before the snapshot, parsed from user agents by
    ua-parser (source enrichment.user_agents), and the technology their company runs when the
    CRM records it (account custom field Tech_Stack__c, when the org has it). The primary
    value of each is the one of most sessions (ties: alphabetical). Bot sessions are left out. -#}
{%- set attributes = ['device_type', 'os_family', 'browser_family'] -%}
{%- set account_columns = [] -%}
{%- if execute -%}
    {%- set account_relation = load_relation(ref('stg_salesforce__accounts')) -%}
    {%- if account_relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(account_relation) -%}
            {%- do account_columns.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with

snapshots as (
    {{ feature_snapshots() }}
),

people as (
    select people.lead_id, people.account_id, snapshots.as_of_date
    from {{ ref('int_people') }} as people
    inner join snapshots on people.created_at < snapshots.as_of_at
),

user_agents as (
    select * from {{ source('enrichment', 'user_agents') }}
),

sessions as (
    select
        sessions.lead_id,
        snapshots.as_of_date,
        coalesce(user_agents.device_type, 'unknown') as device_type,
        coalesce(user_agents.os_family, 'unknown') as os_family,
        coalesce(user_agents.browser_family, 'unknown') as browser_family
    from {{ ref('int_web_sessions') }} as sessions
    inner join snapshots
        on sessions.started_at < snapshots.as_of_at
        and sessions.started_at >= {{ dbt.dateadd('day', -90, 'snapshots.as_of_at') }}
    left join user_agents on user_agents.user_agent = trim(sessions.user_agent)
    where sessions.lead_id is not null and not sessions.is_bot
),

{% for attribute in attributes %}
{{ attribute }}_ranked as (
    select
        lead_id,
        as_of_date,
        {{ attribute }},
        row_number() over (
            partition by lead_id, as_of_date order by count(*) desc, {{ attribute }}
        ) as value_rank
    from sessions
    group by lead_id, as_of_date, {{ attribute }}
),

{% endfor %}
session_mix as (
    select
        lead_id,
        as_of_date,
        count(*) as sessions_90d,
        count(distinct device_type) as device_type_count,
        count(case when device_type in ('mobile', 'tablet') then 1 end) as mobile_sessions_90d
    from sessions
    group by lead_id, as_of_date
),

{% if 'tech_stack_c' in account_columns %}
crm_tech as (
    select account_id, nullif(trim(tech_stack_c), '') as crm_tech_stack
    from {{ ref('stg_salesforce__accounts') }}
),
{% else %}
crm_tech as (
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as crm_tech_stack
    where 1 = 0
),
{% endif %}

final as (
    select
        people.lead_id,
        people.as_of_date,
        {%- for attribute in attributes %}
        cast({{ attribute }}_ranked.{{ attribute }} as {{ dbt.type_string() }}) as primary_{{ attribute }},
        {%- endfor %}
        cast(coalesce(session_mix.device_type_count, 0) as bigint) as device_type_count,
        cast(
            case
                when coalesce(session_mix.sessions_90d, 0) = 0 then null
                else 1.0 * session_mix.mobile_sessions_90d / session_mix.sessions_90d
            end as {{ type_double() }}
        ) as handheld_session_share_90d,
        cast(crm_tech.crm_tech_stack as {{ dbt.type_string() }}) as crm_tech_stack,
        cast(
            case
                when crm_tech.crm_tech_stack is null then 0
                else {{ dbt.length('crm_tech.crm_tech_stack') }}
                    - {{ dbt.length(dbt.replace('crm_tech.crm_tech_stack', "';'", "''")) }} + 1
            end as bigint
        ) as crm_tech_count
    from people
    {%- for attribute in attributes %}
    left join {{ attribute }}_ranked
        on {{ attribute }}_ranked.lead_id = people.lead_id
        and {{ attribute }}_ranked.as_of_date = people.as_of_date
        and {{ attribute }}_ranked.value_rank = 1
    {%- endfor %}
    left join session_mix
        on session_mix.lead_id = people.lead_id and session_mix.as_of_date = people.as_of_date
    left join crm_tech on crm_tech.account_id = people.account_id
)

select * from final
