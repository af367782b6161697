-- Cases arrive in bursts (seven for a newborn application) and are rarely updated right away, so the table grows
-- by inserts that PostgreSQL's default vacuums only after a fifth of the table's size (200,000 rows at a million).
-- Until a page is vacuumed its rows are not marked all-visible, and counting a department's open cases (the
-- queue's count=exact, the dashboards) reads the table for each of them instead of the index alone: after the
-- bench's load, 40 ms instead of 18 for 98,000 open cases over HTTP (docs/benchmarks.md). A vacuum after 1 % of
-- the table keeps the visibility map close behind the inserts; on a million cases it takes about half a second.
-- Embedded PGlite runs no autovacuum; the setting is stored and has no effect there.
ALTER TABLE cases SET (autovacuum_vacuum_insert_scale_factor = 0.01);
