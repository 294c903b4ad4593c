"""The county's trust in its rooms' exchange files: each room's pinned signing key, and who brought a row.

``exchange_room_key`` holds the public key a room's first imported file was
signed with, pinned once the county confirmed its fingerprint; later files of
that room must carry the same key. ``exchange_record_origin`` notes which
room's file brought a row of a shared list (places, companies, sub-types,
mediators), so no other room's file can rewrite it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 22:17:47.498292
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_record_origin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('committee_uid', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_record_origin')),
    sa.UniqueConstraint('table_name', 'uid', name=op.f('uq_exchange_record_origin_table_name_uid'))
    )
    with op.batch_alter_table('exchange_record_origin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_record_origin_committee_uid'), ['committee_uid'], unique=False)

    op.create_table('exchange_room_key',
    sa.Column('committee_uid', sa.String(length=32), nullable=False),
    sa.Column('committee_name', sa.String(length=100), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_room_key')),
    sa.UniqueConstraint('committee_uid', name=op.f('uq_exchange_room_key_committee_uid')),
    sa.UniqueConstraint('uid', name=op.f('uq_exchange_room_key_uid'))
    )


def downgrade() -> None:
    op.drop_table('exchange_room_key')
    with op.batch_alter_table('exchange_record_origin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_record_origin_committee_uid'))

    op.drop_table('exchange_record_origin')
