{{ config(severity='warn', tags=['after_ml']) }}
-- Over-segmentation guard: an active segment too small to act on (var segment_min_size).
select segment_id, member_count
from {{ ref('fct_segment_summary') }}
where is_below_min_size
