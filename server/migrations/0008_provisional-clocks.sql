-- Clocks that run into the year whose holiday notice is not loaded yet (published each November) are counted
-- provisionally (WorkCalendarOptions in calendar.domain.ts); this flag finds them again once the year is loaded.
ALTER TABLE cases ADD COLUMN clock_provisional boolean NOT NULL DEFAULT false;
CREATE INDEX cases_clock_provisional_idx ON cases (id) WHERE clock_provisional;

-- The clock sweep walks the running clocks in id order; without this it reads the whole table.
CREATE INDEX cases_clocked_idx ON cases (id) WHERE status IN ('accepted', 'reviewing', 'decided', 'awaiting_correction');
