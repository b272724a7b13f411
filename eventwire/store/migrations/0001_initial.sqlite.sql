-- SQLite only: full-text search over article title and text (FTS5, porter stemming).
CREATE VIRTUAL TABLE articles_fts USING fts5 (article_id UNINDEXED, title, text, tokenize = 'porter unicode61');
