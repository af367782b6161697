-- The workbench shows how many open cases a department has ("N open cases") next to the first page of its
-- queue. Counting walks only this index (an index-only scan once vacuumed): the department, the status filter,
-- the region for the jurisdiction check and the two clock flags, over open cases only, as cases_queue_idx.
CREATE INDEX cases_queue_count_idx ON cases (department_code, status, region_code) INCLUDE (near_due, overdue)
  WHERE status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided');
