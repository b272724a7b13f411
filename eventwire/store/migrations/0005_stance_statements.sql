-- The stance statements read from each article (eventwire/positions/statements.py), kept with the
-- version of the rules that read them: rebuilding the positions reads again only the articles
-- not yet read with the current rules, instead of every stored document.
CREATE TABLE stance_statements (
    article_id TEXT PRIMARY KEY,
    rules TEXT NOT NULL,
    statements TEXT NOT NULL             -- JSON list of statements (positions.statements.Statement)
);
