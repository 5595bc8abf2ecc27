"""The SQLite store: the only SQL in the project."""

from .db import open_db, open_read_only

__all__ = ["open_db", "open_read_only"]
