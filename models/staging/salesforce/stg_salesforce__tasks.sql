with

base as (

    select * from {{ ref('base_salesforce__task') }}
    where _quarantine_reason is null

),

ranked as (

    select
        *,
        row_number() over (
            partition by task_id
            order by {{ salesforce_latest_first() }}
        ) as version_rank
    from base

),

final as (

    select
        task_id,
        who_id,
        what_id,
        account_id,
        owner_id,
        subject,
        task_type,
        task_subtype,
        status,
        activity_date,
        created_at,
        updated_at,

        -- custom fields
        {{ select_custom_fields('salesforce', 'task') }}

        -- lineage
        _file_path,
        _file_row_number,
        _loaded_at

    from ranked
    where version_rank = 1
        and not coalesce(is_deleted, false)

)

select * from final
