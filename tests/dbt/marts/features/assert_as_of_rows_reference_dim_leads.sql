-- On the current as-of date every feature, score and score-component row belongs to a
-- person of dim_leads (older dates may hold people merged since: warned by the generic
-- relationships tests).
{%- set models = ['feat_lead_demographics', 'feat_lead_firmographics', 'feat_lead_behavior', 'fct_lead_scores', 'fct_lead_score_components'] %}
{% for model_name in models %}
select '{{ model_name }}' as model_name, history.lead_id
from {{ ref(model_name) }} as history
left join {{ ref('dim_leads') }} as leads on leads.lead_id = history.lead_id
where history.as_of_date = {{ as_of_date() }} and leads.lead_id is null
{% if not loop.last %}union all{% endif %}
{% endfor %}
