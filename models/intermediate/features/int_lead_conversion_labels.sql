{#- The outcome behind each feature snapshot, for training the predictive model and measuring
    score calibration: did the lead convert within `conversion_horizon_days` after the
    snapshot date? One row per lead and snapshot date for leads still open at that date (not
    converted yet under the target, so the outcome is still to come). What counts as a
    conversion is var `conversion_target`: 'sql' (the CRM lead was converted to a contact /
    opportunity) or 'won_opportunity' (an opportunity of the person's own — their converted
    lead's, or one with them as contact role — was won). has_won_opportunity_within_horizon is
    always given, for calibration against revenue. A label is complete only when the whole
    horizon lies before the run's as-of date: incomplete labels are never trained on. -#}
{%- set target = var('conversion_target') -%}
{%- if target not in ('sql', 'won_opportunity') -%}
    {{ exceptions.raise_compiler_error(
        "var conversion_target must be 'sql' or 'won_opportunity', got '" ~ target ~ "'") }}
{%- endif -%}
{%- set horizon = var('conversion_horizon_days') | int -%}

with

snapshots as (
    {{ feature_snapshots() }}
),

people as (
    select people.lead_id, people.converted_at, snapshots.as_of_date, snapshots.as_of_at
    from {{ ref('int_people') }} as people
    inner join snapshots on people.created_at < snapshots.as_of_at
),

won_opportunities as (
    select lead_id, min(close_date) as first_won_date
    from {{ ref('int_lead_opportunities') }}
    where link_type in ('converted_lead', 'contact_role') and is_won
    group by lead_id
),

outcomes as (
    select
        people.lead_id,
        people.as_of_date,
        people.converted_at is not null and people.converted_at < people.as_of_at as was_converted_before,
        won_opportunities.first_won_date is not null
            and won_opportunities.first_won_date < people.as_of_date as had_won_before,
        people.converted_at >= people.as_of_at
            and people.converted_at < {{ dbt.dateadd('day', horizon, 'people.as_of_at') }} as converted_within,
        won_opportunities.first_won_date >= people.as_of_date
            and won_opportunities.first_won_date < {{ dbt.dateadd('day', horizon, 'people.as_of_date') }} as won_within
    from people
    left join won_opportunities on won_opportunities.lead_id = people.lead_id
),

final as (
    select
        lead_id,
        as_of_date,
        {%- if target == 'sql' %}
        coalesce(converted_within, false) as is_converted_within_horizon,
        {%- else %}
        coalesce(won_within, false) as is_converted_within_horizon,
        {%- endif %}
        coalesce(won_within, false) as has_won_opportunity_within_horizon,
        cast({{ dbt.dateadd('day', horizon, 'as_of_date') }} as date) <= {{ as_of_date() }} as is_label_complete
    from outcomes
    {%- if target == 'sql' %}
    where not was_converted_before
    {%- else %}
    where not had_won_before
    {%- endif %}
)

select * from final
