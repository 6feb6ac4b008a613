{#- Interest shares are a distribution: each in (0, 1], summing to 1 per lead and date. -#}
select lead_id, as_of_date, sum(attention_share) as total_share
from {{ ref('feat_lead_interests') }}
group by lead_id, as_of_date
having
    abs(sum(attention_share) - 1) > 0.000001
    or min(attention_share) <= 0
    or max(attention_share) > 1
