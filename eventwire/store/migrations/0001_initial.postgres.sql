-- PostgreSQL only: full-text search over article title and text (English configuration).
ALTER TABLE articles ADD COLUMN fts tsvector
    GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX articles_fts ON articles USING gin (fts);
