-- A counter that every write bumps (an article added, stories or positions rebuilt), so that a
-- reader such as the API can tell in one indexed lookup whether anything changed since it last
-- answered, and key its response cache on it.
INSERT INTO meta (key, value) VALUES ('data_version', '0');
-- The articles listing (newest first, undated last) reads this index in order and stops after one
-- page instead of sorting every (wide) article row.
CREATE INDEX articles_listing ON articles ((published IS NULL), published DESC, id);
