"""Alembic migrations, run by the program itself (storage/migrate.py)."""
