"""The team store: SQLAlchemy 2 models, repositories and Alembic migrations (SQLite by default, PostgreSQL for teams)."""
