{#- Which version of a record wins. Salesforce: the latest change; ties (equal
    modstamps) broken by the latest load, then file path and row, so the result is the
    same on every run. -#}
{% macro salesforce_latest_first() -%}
    system_modstamp_at desc nulls last,
    last_modified_at desc nulls last,
    _loaded_at desc,
    _file_path desc,
    _file_row_number desc
{%- endmacro %}


{#- Segment events are immutable: of several copies of one message id, the first received
    is kept. -#}
{% macro segment_earliest_first() -%}
    received_at asc nulls last,
    _loaded_at asc,
    _file_path asc,
    _file_row_number asc
{%- endmacro %}


{#- Segment's users table holds the latest traits per user: the last received wins. -#}
{% macro segment_latest_first() -%}
    received_at desc nulls last,
    _loaded_at desc,
    _file_path desc,
    _file_row_number desc
{%- endmacro %}


{#- The staging models as one list, for the audit models' loops: the raw relation, its
    base and stg models, the key, the version order and whether it soft-deletes. -#}
{% macro staging_tables() -%}
    {%- set sf = 'salesforce_latest_first' -%}
    {{ return([
        {'relation': 'salesforce__account', 'base': 'base_salesforce__account', 'stg': 'stg_salesforce__accounts', 'key': 'account_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__lead', 'base': 'base_salesforce__lead', 'stg': 'stg_salesforce__leads', 'key': 'lead_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__contact', 'base': 'base_salesforce__contact', 'stg': 'stg_salesforce__contacts', 'key': 'contact_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__opportunity', 'base': 'base_salesforce__opportunity', 'stg': 'stg_salesforce__opportunities', 'key': 'opportunity_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__opportunity_contact_role', 'base': 'base_salesforce__opportunity_contact_role', 'stg': 'stg_salesforce__opportunity_contact_roles', 'key': 'opportunity_contact_role_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__task', 'base': 'base_salesforce__task', 'stg': 'stg_salesforce__tasks', 'key': 'task_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__campaign', 'base': 'base_salesforce__campaign', 'stg': 'stg_salesforce__campaigns', 'key': 'campaign_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__campaign_member', 'base': 'base_salesforce__campaign_member', 'stg': 'stg_salesforce__campaign_members', 'key': 'campaign_member_id', 'order_by': sf, 'soft_deletes': true},
        {'relation': 'salesforce__user', 'base': 'base_salesforce__user', 'stg': 'stg_salesforce__users', 'key': 'user_id', 'order_by': sf, 'soft_deletes': false},
        {'relation': 'segment__identifies', 'base': 'base_segment__identifies', 'stg': 'stg_segment__identifies', 'key': 'event_id', 'order_by': 'segment_earliest_first', 'soft_deletes': false},
        {'relation': 'segment__pages', 'base': 'base_segment__pages', 'stg': 'stg_segment__pages', 'key': 'event_id', 'order_by': 'segment_earliest_first', 'soft_deletes': false},
        {'relation': 'segment__tracks', 'base': 'base_segment__tracks', 'stg': 'stg_segment__tracks', 'key': 'event_id', 'order_by': 'segment_earliest_first', 'soft_deletes': false},
        {'relation': 'segment__users', 'base': 'base_segment__users', 'stg': 'stg_segment__users', 'key': 'user_id', 'order_by': 'segment_latest_first', 'soft_deletes': false},
    ]) }}
{%- endmacro %}
