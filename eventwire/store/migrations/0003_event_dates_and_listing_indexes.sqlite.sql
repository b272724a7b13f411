-- SQLite only: the events page reads this index in order (newest day first, then article order)
-- and stops after one page; in SQLite a descending column already sorts NULLs last.
CREATE INDEX events_page ON events (day DESC, article_id, seq);
CREATE INDEX events_type_page ON events (type, day DESC, article_id, seq);
