"""Accounts, 12345 work orders, and investigation/session records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:17:07.452811
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mediation_record',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('matter', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('parties_present', sa.Text(), nullable=False),
    sa.Column('rights_told', sa.Boolean(), nullable=False),
    sa.Column('statements', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('recorder', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_record_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_record')),
    sa.UniqueConstraint('uid', name=op.f('uq_mediation_record_uid'))
    )
    with op.batch_alter_table('mediation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_record_case_id'), ['case_id'], unique=False)

    op.create_table('user_account',
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_user_account_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('uid', name=op.f('uq_user_account_uid')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('work_order',
    sa.Column('order_no', sa.String(length=60), nullable=False),
    sa.Column('caller', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.String(length=60), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_work_order_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order')),
    sa.UniqueConstraint('order_no', name=op.f('uq_work_order_order_no')),
    sa.UniqueConstraint('uid', name=op.f('uq_work_order_uid'))
    )
    with op.batch_alter_table('work_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_order_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_order_due_at'), ['due_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_due_at'))
        batch_op.drop_index(batch_op.f('ix_work_order_case_id'))

    op.drop_table('work_order')
    op.drop_table('user_account')
    with op.batch_alter_table('mediation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_record_case_id'))

    op.drop_table('mediation_record')
