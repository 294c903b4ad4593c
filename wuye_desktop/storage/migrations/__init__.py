"""Alembic migrations, run by the program itself (storage/migrate.py).

``HEAD`` names the newest revision so a start-up on an up-to-date register
can skip importing Alembic altogether; a test keeps it equal to the
scripts' head.
"""

HEAD = "0006"
