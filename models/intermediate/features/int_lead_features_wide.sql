-- depends_on: {{ ref('page_categories') }}
{{ config(materialized="table") }}

{#- Every feature of every lead for every snapshot date (feature_snapshots: the as-of date and
    earlier ones) in one row: the columns segment rules (`segment_definitions.rule_sql`) and
    scoring rules (`scoring_rules.condition_sql`) are written against, and the predictive
    model trains on. Adding a feature here makes it available to every rule. Interest shares
    are pivoted to one `interest_share_<category>` column per category of seed
    `page_categories` (and `other`). -#}
{%- set interest_categories = ['other'] -%}
{%- if execute -%}
    {%- set seed_relation = load_relation(ref('page_categories')) -%}
    {%- if seed_relation is not none -%}
        {%- set result = run_query(
            "select distinct page_category from " ~ seed_relation ~ " where page_category <> 'home' order by 1") -%}
        {%- for row in result.rows -%}
            {%- if row[0] not in interest_categories -%}
                {%- do interest_categories.append(row[0]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with

leads as (
    select * from {{ ref('dim_leads') }}
),

demographics as (
    select * from {{ ref('feat_lead_demographics') }}
    where as_of_date in ({% for day in feature_snapshot_date_strings() %}cast('{{ day }}' as date){{ ", " if not loop.last }}{% endfor %})
),

firmographics as (
    select * from {{ ref('feat_lead_firmographics') }}
),

behavior as (
    select * from {{ ref('feat_lead_behavior') }}
),

technographics as (
    select * from {{ ref('feat_lead_technographics') }}
),

interests as (
    select
        lead_id,
        as_of_date,
        {%- for category in interest_categories %}
        sum(case when page_category = '{{ category }}' then attention_share else 0 end)
            as interest_share_{{ category | replace('-', '_') }},
        {%- endfor %}
        max(case when interest_rank = 1 then page_category end) as top_interest
    from {{ ref('feat_lead_interests') }}
    group by lead_id, as_of_date
),

competitor_domains as (
    select lower(email_domain) as email_domain from {{ ref('competitor_domains') }}
),

final as (
    select
        demographics.lead_id,
        demographics.as_of_date,
        -- who
        demographics.seniority,
        demographics.department,
        demographics.country_code,
        demographics.region,
        demographics.lead_source,
        demographics.days_since_created,
        demographics.has_title,
        demographics.is_business_email,
        competitor_domains.email_domain is not null as is_competitor_domain,
        demographics.is_in_crm,
        demographics.has_opted_out_of_email,
        leads.lifecycle_stage,
        leads.is_customer,
        leads.email_domain,
        -- company
        firmographics.account_id,
        firmographics.firmographics_source,
        firmographics.industry,
        firmographics.employee_band,
        firmographics.revenue_band,
        firmographics.employee_count,
        firmographics.annual_revenue_usd,
        firmographics.employee_band_order,
        firmographics.revenue_band_order,
        firmographics.account_lead_count,
        firmographics.account_open_opportunity_count,
        firmographics.is_customer_account,
        -- behaviour
        behavior.page_views_7d,
        behavior.page_views_30d,
        behavior.page_views_90d,
        behavior.sessions_7d,
        behavior.sessions_30d,
        behavior.sessions_90d,
        behavior.active_days_7d,
        behavior.active_days_30d,
        behavior.active_days_90d,
        behavior.page_views_prev_30d,
        behavior.pricing_page_views_30d,
        behavior.demo_page_views_30d,
        behavior.docs_page_views_30d,
        behavior.careers_page_views_30d,
        behavior.form_submissions_90d,
        behavior.demo_requests_90d,
        behavior.trial_starts_90d,
        behavior.webinar_registrations_90d,
        behavior.emails_delivered_30d,
        behavior.emails_delivered_90d,
        behavior.emails_opened_30d,
        behavior.emails_opened_90d,
        behavior.emails_clicked_30d,
        behavior.emails_clicked_90d,
        behavior.emails_bounced_30d,
        behavior.emails_bounced_90d,
        behavior.emails_unsubscribed_30d,
        behavior.emails_unsubscribed_90d,
        behavior.days_since_last_visit,
        behavior.days_since_last_pricing_view,
        behavior.days_since_last_demo_page_view,
        behavior.days_since_last_docs_view,
        behavior.days_since_last_demo_request,
        behavior.days_since_last_trial_start,
        behavior.days_since_last_webinar_registration,
        behavior.days_since_last_form_submission,
        behavior.days_since_last_email_click,
        behavior.days_since_last_email_open,
        behavior.page_view_trend,
        -- technology
        technographics.primary_device_type,
        technographics.primary_os_family,
        technographics.primary_browser_family,
        technographics.device_type_count,
        technographics.handheld_session_share_90d,
        technographics.crm_tech_stack,
        technographics.crm_tech_count,
        -- interests (share of non-home page views in 90 days)
        {%- for category in interest_categories %}
        cast(coalesce(interests.interest_share_{{ category | replace('-', '_') }}, 0) as {{ type_double() }})
            as interest_share_{{ category | replace('-', '_') }},
        {%- endfor %}
        cast(interests.top_interest as {{ dbt.type_string() }}) as top_interest
    from demographics
    inner join leads on leads.lead_id = demographics.lead_id
    left join firmographics
        on firmographics.lead_id = demographics.lead_id and firmographics.as_of_date = demographics.as_of_date
    left join behavior
        on behavior.lead_id = demographics.lead_id and behavior.as_of_date = demographics.as_of_date
    left join technographics
        on technographics.lead_id = demographics.lead_id and technographics.as_of_date = demographics.as_of_date
    left join interests
        on interests.lead_id = demographics.lead_id and interests.as_of_date = demographics.as_of_date
    left join competitor_domains on competitor_domains.email_domain = leads.email_domain
)

select * from final
