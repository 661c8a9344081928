"""Database seam: SQLite by default, PostgreSQL by CASTWRIGHT_DATABASE_URL."""

from castwright.db.base import Base
from castwright.db.engine import Database, make_engine

__all__ = ["Base", "Database", "make_engine"]
