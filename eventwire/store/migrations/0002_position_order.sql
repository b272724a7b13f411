-- Positions keep the order issues have in their definition file (regions first, then the rest)
-- and say what kind of statement the stance rests on: an event, a quote, or a rejection of
-- another party's demands ("anaphora").
ALTER TABLE positions ADD COLUMN issue_order INTEGER;
ALTER TABLE positions ADD COLUMN via TEXT;
