-- PostgreSQL only: the events page reads this index in order (newest day first, undated last,
-- then article order) and stops after one page.
CREATE INDEX events_page ON events (day DESC NULLS LAST, article_id, seq);
CREATE INDEX events_type_page ON events (type, day DESC NULLS LAST, article_id, seq);
