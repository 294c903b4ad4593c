"""Rename user_account.must_change_password to must_renew.

Only password hashes keep "password" in a column name, so a scan of a
register for password columns finds nothing but Argon2id hashes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("must_change_password", new_column_name="must_renew")


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("must_renew", new_column_name="must_change_password")
