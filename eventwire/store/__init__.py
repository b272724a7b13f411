"""The event store: SQLite by default, PostgreSQL as the server option."""
