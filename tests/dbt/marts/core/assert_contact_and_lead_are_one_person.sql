-- A converted lead and its contact are one person: they never end up in two dim_leads rows.
select leads.lead_id as salesforce_lead_id, leads.converted_contact_id
from {{ ref('stg_salesforce__leads') }} as leads
inner join {{ ref('int_identity_resolved') }} as lead_identity
    on lead_identity.identifier = 'lead:' || leads.lead_id
inner join {{ ref('int_identity_resolved') }} as contact_identity
    on contact_identity.identifier = 'contact:' || leads.converted_contact_id
where lead_identity.lead_id <> contact_identity.lead_id
