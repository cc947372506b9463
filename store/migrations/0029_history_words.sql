-- A case's history line keeps the staff catalog key and arguments it is
-- said from (cases.Record), JSON {"key": …, "args": {…}}, so each page says
-- it in its reader's language; '' for a person's own words and old rows.
ALTER TABLE case_events ADD COLUMN words TEXT NOT NULL DEFAULT '';
