{#- Every feature of every lead for the current as_of_date in one row: the columns segment
    rules (`segment_definitions.rule_sql`) and scoring rules (`scoring_rules.condition_sql`)
    are written against. Adding a feature here makes it available to every rule. -#}
with

leads as (
    select * from {{ ref('dim_leads') }}
),

demographics as (
    select * from {{ ref('feat_lead_demographics') }}
    where as_of_date = {{ as_of_date() }}
),

firmographics as (
    select * from {{ ref('feat_lead_firmographics') }}
    where as_of_date = {{ as_of_date() }}
),

behavior as (
    select * from {{ ref('feat_lead_behavior') }}
    where as_of_date = {{ as_of_date() }}
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
        behavior.page_view_trend
    from demographics
    inner join leads on leads.lead_id = demographics.lead_id
    left join firmographics on firmographics.lead_id = demographics.lead_id
    left join behavior on behavior.lead_id = demographics.lead_id
)

select * from final
