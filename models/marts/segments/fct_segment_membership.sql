{{ config(tags=['after_ml']) }}

{#- One row per membership spell: a lead in a segment from the evaluation date it entered
    (`entered_at`) until the first evaluation date it no longer matched (`exited_at`; null
    while it still does). Rule segments come from the history of daily evaluations
    (int_segment_rule_evaluations), cluster segments from the history of the clustering asset
    (source ml.lead_clusters). Each spell says why: `entry_reason` holds the values of the
    rule's inputs on the day the lead entered, `exit_reason` the conditions that stopped
    holding on the day it left. Rebuilt from the evaluation history on every run (gaps and
    islands), so replaying a past as-of date corrects the spells around it. -#}
with

rule_evaluations as (
    select
        as_of_date,
        segment_id,
        lead_id,
        is_member,
        rule_inputs as entry_reason,
        failed_conditions as exit_reason,
        'rule' as segment_kind
    from {{ ref('int_segment_rule_evaluations') }}
),

cluster_history as (
    select as_of_date, segment_id, lead_id from {{ source('ml', 'lead_clusters') }}
),

cluster_evaluations as (
    select
        cluster_history.as_of_date,
        cluster_history.segment_id,
        cluster_history.lead_id,
        true as is_member,
        'clustered into ' || cluster_history.segment_id as entry_reason,
        cast(null as {{ dbt.type_string() }}) as exit_reason,
        'cluster' as segment_kind
    from cluster_history
),

evaluations as (
    select * from rule_evaluations
    union all
    select * from cluster_evaluations
),

evaluation_dates as (
    select
        segment_kind,
        as_of_date,
        row_number() over (partition by segment_kind order by as_of_date) as date_number
    from (select distinct segment_kind, as_of_date from evaluations) as dates
),

members as (
    select
        evaluations.*,
        evaluation_dates.date_number,
        evaluation_dates.date_number - row_number() over (
            partition by evaluations.segment_kind, evaluations.segment_id, evaluations.lead_id
            order by evaluations.as_of_date
        ) as island
    from evaluations
    inner join evaluation_dates
        on evaluation_dates.segment_kind = evaluations.segment_kind
        and evaluation_dates.as_of_date = evaluations.as_of_date
    where evaluations.is_member
),

spells as (
    select
        segment_kind,
        segment_id,
        lead_id,
        min(as_of_date) as entered_on,
        max(as_of_date) as last_member_on,
        max(date_number) as last_date_number
    from members
    group by segment_kind, segment_id, lead_id, island
),

entry_reasons as (
    select segment_id, lead_id, as_of_date, entry_reason from members
),

-- a cluster member who left: which cluster they moved to, if any
cluster_moves as (
    select lead_id, as_of_date, min(segment_id) as new_segment_id
    from cluster_history
    group by lead_id, as_of_date
),

closed as (
    select
        spells.*,
        exit_dates.as_of_date as exited_on,
        case
            when exit_dates.as_of_date is null then null
            when spells.segment_kind = 'rule'
                then coalesce(exit_rows.exit_reason, 'the rule no longer matched')
            when cluster_moves.new_segment_id is not null
                then 're-clustered into ' || cluster_moves.new_segment_id
            else 'not clustered on that date (no longer a lead, or no features)'
        end as exit_reason
    from spells
    left join evaluation_dates as exit_dates
        on exit_dates.segment_kind = spells.segment_kind
        and exit_dates.date_number = spells.last_date_number + 1
    left join evaluations as exit_rows
        on exit_rows.segment_id = spells.segment_id
        and exit_rows.lead_id = spells.lead_id
        and exit_rows.as_of_date = exit_dates.as_of_date
        and not exit_rows.is_member
    left join cluster_moves
        on spells.segment_kind = 'cluster'
        and cluster_moves.lead_id = spells.lead_id
        and cluster_moves.as_of_date = exit_dates.as_of_date
),

final as (
    select
        {{ dbt.hash(dbt.concat(["closed.lead_id", "'|'", "closed.segment_id", "'|'", dbt.cast("closed.entered_on", dbt.type_string())])) }}
            as segment_membership_id,
        cast(closed.lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(closed.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(closed.segment_kind as {{ dbt.type_string() }}) as segment_kind,
        cast(closed.entered_on as {{ dbt.type_timestamp() }}) as entered_at,
        cast(closed.exited_on as {{ dbt.type_timestamp() }}) as exited_at,
        closed.last_member_on as last_member_as_of_date,
        closed.exited_on is null as is_current,
        cast(entry_reasons.entry_reason as {{ dbt.type_string() }}) as entry_reason,
        cast(closed.exit_reason as {{ dbt.type_string() }}) as exit_reason
    from closed
    left join entry_reasons
        on entry_reasons.segment_id = closed.segment_id
        and entry_reasons.lead_id = closed.lead_id
        and entry_reasons.as_of_date = closed.entered_on
)

select * from final
