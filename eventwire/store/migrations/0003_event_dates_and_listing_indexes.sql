-- Events carry the span of days their date covers ("2025-W22" is 2025-05-26 … 2025-06-01,
-- "2025-05" the whole month, "2022" the whole year; an undated event its publication day), so a
-- day-range filter finds an event whenever the two ranges overlap. Rows stored before this
-- version only had whole days (or the publication day) placed, so both ends start as that day.
ALTER TABLE events ADD COLUMN date_start TEXT;
ALTER TABLE events ADD COLUMN date_end TEXT;
UPDATE events SET date_start = day, date_end = day;
CREATE INDEX events_date_start ON events (date_start);
CREATE INDEX events_date_end ON events (date_end);
-- The actors listing counts events per (name, country) on each side: these indexes hold every
-- column it reads, so the count never touches the (wide) event rows.
CREATE INDEX events_source_party ON events (source_name, source_country);
CREATE INDEX events_target_party ON events (target_name, target_country);
CREATE INDEX actors_listing ON actors (name, country, article_id, mentions, kind, sector, kb_id);
