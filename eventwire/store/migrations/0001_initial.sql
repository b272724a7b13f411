-- eventwire store, schema version 1. One statement per ";"-terminated block.
-- Written in the SQL that SQLite and PostgreSQL share; dialect-only parts live in
-- 0001_initial.sqlite.sql and 0001_initial.postgres.sql.
-- Booleans are stored as 0/1 integers and JSON as text so that both back ends return the same rows.

CREATE TABLE articles (
    id TEXT PRIMARY KEY,                 -- first 16 hex digits of content_hash: stable across stores
    external_id TEXT,                    -- the id the input gave (file name, JSONL "id")
    url TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the text with whitespace collapsed
    title TEXT,
    published TEXT,                      -- ISO date or datetime
    published_source TEXT,
    outlet TEXT,                         -- host name of the URL (the "source" in GDELT's sense)
    ingest_source TEXT,                  -- what ingested it: a path, a feed, "api", "demo"
    near_duplicate_of TEXT,              -- an earlier article with nearly the same text
    similarity DOUBLE PRECISION,                     -- estimated Jaccard similarity to near_duplicate_of
    minhash TEXT,                        -- MinHash signature (hex) for near-duplicate checks
    n_chars INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    n_quotes INTEGER NOT NULL,
    text TEXT NOT NULL,
    document TEXT NOT NULL,              -- the full Document as JSON (eventwire schema)
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_near_duplicate ON articles (near_duplicate_of);

-- MinHash bands of each article for near-duplicate look-up (locality-sensitive hashing).
CREATE TABLE article_bands (
    band INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article_id)
);

CREATE TABLE actors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT,
    country TEXT,
    sector TEXT,
    role TEXT,
    kb_id TEXT,
    mentions INTEGER NOT NULL,
    first_start INTEGER,
    first_end INTEGER,
    first_text TEXT,
    PRIMARY KEY (article_id, actor_id)
);
CREATE INDEX actors_name ON actors (name);

CREATE TABLE events (
    id TEXT PRIMARY KEY,                 -- article_id:event_id
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    seq INTEGER NOT NULL,                -- order in the article
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    mode TEXT,
    cameo TEXT,
    goldstein DOUBLE PRECISION,
    quad_class INTEGER,
    source_name TEXT,
    source_actor TEXT,
    source_country TEXT,
    source_sector TEXT,
    source_start INTEGER,
    source_end INTEGER,
    target_name TEXT,
    target_actor TEXT,
    target_country TEXT,
    target_sector TEXT,
    target_start INTEGER,
    target_end INTEGER,
    undirected INTEGER NOT NULL,
    date TEXT,                           -- the event's own date, when the text fixes it
    published TEXT,                      -- the article's publication date
    day TEXT,                            -- YYYY-MM-DD: date when it is a whole day, else published
    location TEXT,
    location_country TEXT,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger_text TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    sentence_text TEXT NOT NULL,
    quote_id TEXT,
    timex_id TEXT,
    confidence DOUBLE PRECISION
);
CREATE INDEX events_article ON events (article_id, seq);
CREATE INDEX events_day ON events (day);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_source ON events (source_name);
CREATE INDEX events_target ON events (target_name);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    quote_id TEXT NOT NULL,
    direct INTEGER NOT NULL,
    speaker_name TEXT,
    speaker_actor TEXT,
    speaker_country TEXT,
    channel TEXT,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content_text TEXT NOT NULL,
    cue_text TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    event_ids TEXT                       -- JSON list of Event.id stated in the quote
);
CREATE INDEX quotes_article ON quotes (article_id);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL,
    value DOUBLE PRECISION,
    value_max DOUBLE PRECISION,
    unit TEXT,
    change TEXT,
    qualifier TEXT,
    per TEXT,
    claimant_name TEXT,
    claimant_country TEXT,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    span_text TEXT NOT NULL,
    quote_id TEXT
);
CREATE INDEX claims_article ON claims (article_id);

CREATE TABLE timexes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    timex_id TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT,
    anchored INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    span_text TEXT NOT NULL
);
CREATE INDEX timexes_article ON timexes (article_id);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    status TEXT,
    source_name TEXT,
    source_country TEXT,
    target_name TEXT,
    target_country TEXT,
    first_date TEXT,
    last_date TEXT,
    first_reported TEXT,
    first_article_id TEXT,
    num_mentions INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    goldstein DOUBLE PRECISION,
    quad_class INTEGER,
    evidence_article_id TEXT,
    evidence_event_id TEXT,
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence_text TEXT
);
CREATE INDEX stories_first ON stories (first_reported);

CREATE TABLE story_events (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    event_row TEXT NOT NULL,             -- events.id
    article_id TEXT NOT NULL,
    PRIMARY KEY (story_id, event_row)
);
CREATE INDEX story_events_event ON story_events (event_row);

CREATE TABLE positions (
    id TEXT PRIMARY KEY,                 -- conflict:issue:party
    conflict TEXT NOT NULL,
    issue TEXT NOT NULL,
    issue_label TEXT NOT NULL,
    party TEXT NOT NULL,
    stance TEXT NOT NULL,                -- demands, offers, accepts, rejects
    date TEXT,
    article_id TEXT,
    event_row TEXT,
    quote_row TEXT,
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence_text TEXT,
    num_statements INTEGER NOT NULL,
    history TEXT NOT NULL                -- JSON list, oldest first: {date, stance, article_id, evidence}
);
CREATE INDEX positions_conflict ON positions (conflict, issue);
