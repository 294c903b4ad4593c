"""Mark registers that carry the character search index.

The index itself (``case_search_fts_chars``, FTS5, every character a
token) is derived data: ``services/cases/search.py`` builds it when the register
is opened and keeps it up to date with every save, like the trigram index.
This revision changes no table. It exists so that an older program, which
would save cases without updating the new index (and so hide them from
one- and two-character searches), refuses the register instead of
quietly spoiling its search.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 11:30:00
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the index is built when the register is opened."""


def downgrade() -> None:
    """Nothing to undo here; an older program simply searches without the index."""
