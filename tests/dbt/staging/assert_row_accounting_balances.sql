-- Every row read from every landing file is staged, quarantined, superseded by a newer
-- version (or an earlier copy of the same event) or soft-deleted: exactly one of them.
select
    source_table,
    file_path,
    rows_read,
    rows_staged,
    rows_quarantined,
    rows_superseded,
    rows_soft_deleted
from {{ ref('row_accounting') }}
where rows_read != rows_staged + rows_quarantined + rows_superseded + rows_soft_deleted
