{#- The funnel stage of a person, furthest stage wins:
    customer     – the person's account has a won opportunity (or is typed a customer)
    opportunity  – an open opportunity of the person's own (converted lead, contact role)
    sql          – sales accepted: converted to a contact, or a lead status of sales qualification
    mql          – marketing qualified in the CRM (lead status, or a 'Hot' rating)
    lead         – any other CRM lead or contact
    subscriber   – known only from the web (identified with an email), not in the CRM
    The score-based MQL flag lives in fct_lead_scores.is_mql; this is the CRM's view. -#}
{% macro lifecycle_stage(is_customer, has_open_opportunity, is_converted, lead_status, lead_rating, is_in_crm) -%}
    case
        when {{ is_customer }} then 'customer'
        when {{ has_open_opportunity }} then 'opportunity'
        when {{ is_converted }}
            or lower({{ lead_status }}) in ('qualified', 'sales qualified', 'sql', 'sales accepted', 'working - contacted', 'working')
            then 'sql'
        when lower({{ lead_status }}) in ('mql', 'marketing qualified', 'marketing qualified lead')
            or lower({{ lead_rating }}) = 'hot'
            then 'mql'
        when {{ is_in_crm }} then 'lead'
        else 'subscriber'
    end
{%- endmacro %}
