-- A lead is in a segment at most once at a time: its spells in one segment never overlap,
-- and at most one is open.
select earlier.lead_id, earlier.segment_id, earlier.entered_at, later.entered_at as later_entered_at
from {{ ref('fct_segment_membership') }} as earlier
inner join {{ ref('fct_segment_membership') }} as later
    on later.lead_id = earlier.lead_id
    and later.segment_id = earlier.segment_id
    and later.entered_at > earlier.entered_at
where earlier.exited_at is null or earlier.exited_at > later.entered_at
