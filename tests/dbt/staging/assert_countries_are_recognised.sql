{{ config(severity='warn') }}
-- Country values the country_aliases seed does not know: add a row to the seed for each
-- spelling listed here (warn only: the record is staged with a null country code).
{%- set checks = [
    ('base_salesforce__lead', 'lead_id', 'country', 'country_code'),
    ('base_salesforce__contact', 'contact_id', 'country', 'country_code'),
    ('base_salesforce__account', 'account_id', 'billing_country', 'billing_country_code'),
] %}

{% for model, key, raw_column, code_column in checks %}
select
    '{{ model }}' as model_name,
    {{ raw_column }} as country,
    count(*) as records
from {{ ref(model) }}
where {{ raw_column }} is not null
    and {{ code_column }} is null
    and _quarantine_reason is null
group by 1, 2
{% if not loop.last %}union all{% endif %}
{% endfor %}
