"""The SQLite store: the only SQL in the project."""

from .db import open_db

__all__ = ["open_db"]
