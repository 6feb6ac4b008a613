{{ config(materialized='table') }}

{#- Edges between typed identifiers (`lead:<id>`, `contact:<id>`, `email:<normalised>`,
    `anon:<anonymous_id>`, `user:<user_id>`). One row per distinct pair and edge type, with the
    first row that showed it (source model + row id) and how often it was seen. -#}
with

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

pages as (
    select * from {{ ref('stg_segment__pages') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

lead_email as (
    select
        'lead' as from_type,
        lead_id as from_value,
        'email' as to_type,
        lower(trim(email)) as to_value,
        'lead_email' as edge_type,
        'stg_salesforce__leads' as source_model,
        lead_id as source_row_id,
        created_at as observed_at
    from leads
    where email is not null and trim(email) <> ''
),

contact_email as (
    select
        'contact' as from_type,
        contact_id as from_value,
        'email' as to_type,
        lower(trim(email)) as to_value,
        'contact_email' as edge_type,
        'stg_salesforce__contacts' as source_model,
        contact_id as source_row_id,
        created_at as observed_at
    from contacts
    where email is not null and trim(email) <> ''
),

lead_converted_contact as (
    select
        'lead' as from_type,
        lead_id as from_value,
        'contact' as to_type,
        converted_contact_id as to_value,
        'lead_converted_contact' as edge_type,
        'stg_salesforce__leads' as source_model,
        lead_id as source_row_id,
        coalesce(cast(converted_date as {{ dbt.type_timestamp() }}), updated_at) as observed_at
    from leads
    where converted_contact_id is not null
),

identify_anon_email as (
    select
        'anon' as from_type,
        anonymous_id as from_value,
        'email' as to_type,
        lower(trim(email)) as to_value,
        'identify_anon_email' as edge_type,
        'stg_segment__identifies' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from identifies
    where anonymous_id is not null and email is not null and trim(email) <> ''
),

identify_anon_user as (
    select
        'anon' as from_type,
        anonymous_id as from_value,
        'user' as to_type,
        user_id as to_value,
        'identify_anon_user' as edge_type,
        'stg_segment__identifies' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from identifies
    where anonymous_id is not null and user_id is not null
),

identify_user_email as (
    select
        'user' as from_type,
        user_id as from_value,
        'email' as to_type,
        lower(trim(email)) as to_value,
        'identify_user_email' as edge_type,
        'stg_segment__identifies' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from identifies
    where user_id is not null and email is not null and trim(email) <> ''
),

page_anon_user as (
    select
        'anon' as from_type,
        anonymous_id as from_value,
        'user' as to_type,
        user_id as to_value,
        'page_anon_user' as edge_type,
        'stg_segment__pages' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from pages
    where anonymous_id is not null and user_id is not null
),

track_anon_user as (
    select
        'anon' as from_type,
        anonymous_id as from_value,
        'user' as to_type,
        user_id as to_value,
        'track_anon_user' as edge_type,
        'stg_segment__tracks' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from tracks
    where anonymous_id is not null and user_id is not null
),

-- An email-spec event (delivered, opened, clicked …) names its recipient: the visitor id it
-- was sent with belongs to that address.
track_email as (
    select
        case when user_id is not null then 'user' else 'anon' end as from_type,
        coalesce(user_id, anonymous_id) as from_value,
        'email' as to_type,
        lower(trim(email)) as to_value,
        'track_email' as edge_type,
        'stg_segment__tracks' as source_model,
        event_id as source_row_id,
        event_at as observed_at
    from tracks
    where
        email is not null and trim(email) <> ''
        and coalesce(user_id, anonymous_id) is not null
),

all_edges as (
    select * from lead_email
    union all
    select * from contact_email
    union all
    select * from lead_converted_contact
    union all
    select * from identify_anon_email
    union all
    select * from identify_anon_user
    union all
    select * from identify_user_email
    union all
    select * from page_anon_user
    union all
    select * from track_anon_user
    union all
    select * from track_email
),

ranked as (
    select
        *,
        row_number() over (
            partition by from_type, from_value, to_type, to_value, edge_type
            order by observed_at, source_row_id
        ) as observation_rank,
        count(*) over (
            partition by from_type, from_value, to_type, to_value, edge_type
        ) as observation_count
    from all_edges
),

final as (
    select
        {{ dbt.hash(dbt.concat(["from_type", "':'", "from_value", "'|'", "to_type", "':'", "to_value", "'|'", "edge_type"])) }}
            as edge_id,
        from_type || ':' || from_value as from_identifier,
        to_type || ':' || to_value as to_identifier,
        from_type,
        from_value,
        to_type,
        to_value,
        edge_type,
        source_model,
        source_row_id,
        observation_count,
        from_type in ('anon', 'user') or to_type in ('anon', 'user') as is_behavioural_edge,
        observed_at as first_observed_at
    from ranked
    where observation_rank = 1
)

select * from final
