{{ config(severity='warn', tags=['after_ml']) }}
-- Over-segmentation guard: two segments that are almost the same audience.
select segment_id, other_segment_id, shared_member_count, member_count, other_member_count
from {{ ref('fct_segment_overlap') }}
where is_near_duplicate and segment_id < other_segment_id
