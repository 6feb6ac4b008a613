{{ config(tags=['after_ml']) }}

{#- What the export assets send: one row per current member of each active segment with
    activation destinations (seed `segment_definitions.activation_destinations`: `email`,
    `ads`) per destination. `email_sha256` is the SHA-256 of the trimmed lower-case email
    (customer-match format). `is_holdout` marks the stable control group: a lead whose
    holdout bucket (hash of lead id and segment id) is below `activation_holdout_share`; it
    never changes between runs and is withheld from every export so campaign lift can be
    measured. The export code (leadseg.activation) drops opted-out leads from email files
    and never writes plain emails to ads files. -#}
with

definitions as (
    select segment_id, segment_name, activation_destinations
    from {{ ref('segment_definitions') }}
    where is_active and activation_destinations is not null and trim(activation_destinations) <> ''
),

destinations as (
    {%- for destination in ['email', 'ads'] %}
    select segment_id, segment_name, '{{ destination }}' as destination
    from definitions
    where {{ dbt.position("';" ~ destination ~ ";'", "';' || replace(activation_destinations, ' ', '') || ';'") }} > 0
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

members as (
    select lead_id, segment_id
    from {{ ref('fct_segment_membership') }}
    where is_current
),

leads as (
    select lead_id, email, has_opted_out_of_email from {{ ref('dim_leads') }}
),

scores as (
    select lead_id, lead_score, grade, conversion_probability
    from {{ ref('fct_lead_scores') }}
    where as_of_date = {{ as_of_date() }}
),

final as (
    select
        cast(destinations.segment_id as {{ dbt.type_string() }}) as segment_id,
        cast(destinations.segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(destinations.destination as {{ dbt.type_string() }}) as destination,
        cast(members.lead_id as {{ dbt.type_string() }}) as lead_id,
        cast(leads.email as {{ dbt.type_string() }}) as email,
        cast(
            case when nullif(trim(leads.email), '') is not null
                then {{ sha256_hex('lower(trim(leads.email))') }} end
            as {{ dbt.type_string() }}
        ) as email_sha256,
        coalesce(leads.has_opted_out_of_email, true) as has_opted_out_of_email,
        {{ holdout_bucket('members.lead_id', 'members.segment_id') }} < {{ var('activation_holdout_share') }}
            as is_holdout,
        cast(scores.lead_score as decimal(12, 2)) as lead_score,
        cast(scores.grade as {{ dbt.type_string() }}) as grade,
        cast(scores.conversion_probability as {{ type_double() }}) as conversion_probability,
        {{ as_of_date() }} as as_of_date
    from destinations
    inner join members on members.segment_id = destinations.segment_id
    inner join leads on leads.lead_id = members.lead_id
    left join scores on scores.lead_id = members.lead_id
)

select * from final
