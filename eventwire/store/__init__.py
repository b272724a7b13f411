"""The event store: SQLite by default, PostgreSQL as the server option.

    from eventwire.store import open_store
    with open_store("events.db") as store:          # or "postgresql://…"
        store.events(actor="Russia", type="REQUEST")
        frame = store.events_frame()                 # a pandas DataFrame
"""
from .base import AddResult, Store, open_store

__all__ = ["AddResult", "Store", "open_store"]
