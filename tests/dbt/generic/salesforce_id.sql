{#- Values are Salesforce 18-character ids (letters and digits), as the base models'
    sf_id_18 conversion produces; a 15-character or malformed id here means a column
    was not converted and will not join. -#}
{% test salesforce_id(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ leadseg.regex_matches(column_name, '^[a-zA-Z0-9]{18}$') }}

{% endtest %}
