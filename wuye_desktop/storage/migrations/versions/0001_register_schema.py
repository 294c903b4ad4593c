"""The register's first schema: committee, estates, parties, cases and their records.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 08:13:45.175506
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('entry_hash', name=op.f('uq_audit_event_entry_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_object_id'), ['object_id'], unique=False)

    op.create_table('committee',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('seal_text', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee')),
    sa.UniqueConstraint('uid', name=op.f('uq_committee_uid'))
    )
    op.create_table('community',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('street', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('name', name=op.f('uq_community_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_community_uid'))
    )
    op.create_table('dispute_subtype',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_subtype')),
    sa.UniqueConstraint('name', name=op.f('uq_dispute_subtype_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_dispute_subtype_uid'))
    )
    op.create_table('property_company',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('contact_person', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('grade', sa.String(length=24), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_property_company')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_property_company_credit_code')),
    sa.UniqueConstraint('uid', name=op.f('uq_property_company_uid'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setting')),
    sa.UniqueConstraint('key', name=op.f('uq_setting_key')),
    sa.UniqueConstraint('uid', name=op.f('uq_setting_uid'))
    )
    op.create_table('step_template',
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_template')),
    sa.UniqueConstraint('uid', name=op.f('uq_step_template_uid'))
    )
    op.create_table('estate',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('property_company_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_estate_community_id_community')),
    sa.ForeignKeyConstraint(['property_company_id'], ['property_company.id'], name=op.f('fk_estate_property_company_id_property_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_estate')),
    sa.UniqueConstraint('community_id', 'name', name=op.f('uq_estate_community_id_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_estate_uid'))
    )
    with op.batch_alter_table('estate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_estate_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_estate_property_company_id'), ['property_company_id'], unique=False)

    op.create_table('number_sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], name=op.f('fk_number_sequence_committee_id_committee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_sequence')),
    sa.UniqueConstraint('committee_id', 'kind', 'year', name=op.f('uq_number_sequence_committee_id_kind_year'))
    )
    op.create_table('building',
    sa.Column('estate_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sort_key', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_building_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_building')),
    sa.UniqueConstraint('estate_id', 'name', name=op.f('uq_building_estate_id_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_building_uid'))
    )
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_building_estate_id'), ['estate_id'], unique=False)

    op.create_table('mediation_case',
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('source_ref', sa.String(length=60), nullable=False),
    sa.Column('official_type', sa.String(length=24), nullable=False),
    sa.Column('subtype_id', sa.Integer(), nullable=True),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('property_company_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('risk', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('escalation', sa.String(length=24), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('registrar', sa.String(length=40), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('termination_reason', sa.Text(), nullable=False),
    sa.Column('referred_to', sa.String(length=100), nullable=False),
    sa.Column('prevented_criminal', sa.Boolean(), nullable=False),
    sa.Column('prevented_suicide', sa.Boolean(), nullable=False),
    sa.Column('prevented_group_petition', sa.Boolean(), nullable=False),
    sa.Column('prevented_group_fight', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_mediation_case_building_id_building')),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], name=op.f('fk_mediation_case_committee_id_committee')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_mediation_case_estate_id_estate')),
    sa.ForeignKeyConstraint(['property_company_id'], ['property_company.id'], name=op.f('fk_mediation_case_property_company_id_property_company')),
    sa.ForeignKeyConstraint(['subtype_id'], ['dispute_subtype.id'], name=op.f('fk_mediation_case_subtype_id_dispute_subtype')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_case')),
    sa.UniqueConstraint('committee_id', 'number', name=op.f('uq_mediation_case_committee_id_number')),
    sa.UniqueConstraint('committee_id', 'year', 'seq', name=op.f('uq_mediation_case_committee_id_year_seq')),
    sa.UniqueConstraint('uid', name=op.f('uq_mediation_case_uid'))
    )
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_case_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_property_company_id'), ['property_company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_registered_on'), ['registered_on'], unique=False)
        batch_op.create_index('ix_mediation_case_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_case_subtype_id'), ['subtype_id'], unique=False)

    op.create_table('mediator',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('specialties', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('home_estate_id', sa.Integer(), nullable=True),
    sa.Column('home_building_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['home_building_id'], ['building.id'], name=op.f('fk_mediator_home_building_id_building')),
    sa.ForeignKeyConstraint(['home_estate_id'], ['estate.id'], name=op.f('fk_mediator_home_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediator')),
    sa.UniqueConstraint('uid', name=op.f('uq_mediator_uid'))
    )
    with op.batch_alter_table('mediator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediator_name'), ['name'], unique=False)

    op.create_table('party',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('ethnicity', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('occupation', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('representative', sa.String(length=40), nullable=False),
    sa.Column('representative_title', sa.String(length=40), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_party_building_id_building')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_party_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party')),
    sa.UniqueConstraint('uid', name=op.f('uq_party_uid'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_phone'), ['phone'], unique=False)

    op.create_table('agreement',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('performance', sa.Text(), nullable=False),
    sa.Column('performance_deadline', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('mediator_names', sa.String(length=100), nullable=False),
    sa.Column('recorder', sa.String(length=40), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('judicial_deadline', sa.Date(), nullable=True),
    sa.Column('judicial_status', sa.String(length=24), nullable=False),
    sa.Column('judicial_applied_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_agreement_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], name=op.f('fk_agreement_committee_id_committee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('committee_id', 'number', name=op.f('uq_agreement_committee_id_number')),
    sa.UniqueConstraint('committee_id', 'year', 'seq', name=op.f('uq_agreement_committee_id_year_seq')),
    sa.UniqueConstraint('uid', name=op.f('uq_agreement_uid'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)

    op.create_table('assignment',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('chosen_by', sa.String(length=24), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('recused_at', sa.DateTime(), nullable=True),
    sa.Column('recusal_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_assignment_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_assignment_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('uid', name=op.f('uq_assignment_uid'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_mediator_id'), ['mediator_id'], unique=False)

    op.create_table('attachment',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('added_by', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_attachment_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('uid', name=op.f('uq_attachment_uid'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_event_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_case_event_action_on', ['action', 'occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_party',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('agent_name', sa.String(length=40), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('snapshot_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_party_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_case_party_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_party')),
    sa.UniqueConstraint('case_id', 'party_id', 'role', name=op.f('uq_case_party_case_id_party_id_role')),
    sa.UniqueConstraint('uid', name=op.f('uq_case_party_uid'))
    )
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_party_party_id'), ['party_id'], unique=False)

    op.create_table('case_search_text',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_search_text_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_search_text'))
    )
    op.create_table('consultation_step',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('step_name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('form', sa.String(length=24), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('expected_count', sa.Integer(), nullable=True),
    sa.Column('present_count', sa.Integer(), nullable=True),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('publicity', sa.Text(), nullable=False),
    sa.Column('supervision', sa.Text(), nullable=False),
    sa.Column('recorder', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_consultation_step_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['template_id'], ['step_template.id'], name=op.f('fk_consultation_step_template_id_step_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_step')),
    sa.UniqueConstraint('uid', name=op.f('uq_consultation_step_uid'))
    )
    with op.batch_alter_table('consultation_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_step_case_id'), ['case_id'], unique=False)

    op.create_table('agreement_clause',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_clause_agreement_id_agreement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_clause')),
    sa.UniqueConstraint('uid', name=op.f('uq_agreement_clause_uid'))
    )
    with op.batch_alter_table('agreement_clause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_clause_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('return_visit',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitor', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('visited_parties', sa.String(length=200), nullable=False),
    sa.Column('performance', sa.String(length=24), nullable=False),
    sa.Column('satisfaction', sa.String(length=24), nullable=True),
    sa.Column('lawsuit', sa.Boolean(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_return_visit_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_return_visit_case_id_mediation_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visit')),
    sa.UniqueConstraint('uid', name=op.f('uq_return_visit_uid'))
    )
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visit_case_id'), ['case_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Substring search for 3+ character queries (services/cases/search.py).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_case_search_text_body_trgm ON case_search_text "
            "USING gin (body gin_trgm_ops)"
        )


def downgrade() -> None:
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_visit_case_id'))

    op.drop_table('return_visit')
    with op.batch_alter_table('agreement_clause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_clause_agreement_id'))

    op.drop_table('agreement_clause')
    with op.batch_alter_table('consultation_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_step_case_id'))

    op.drop_table('consultation_step')
    op.drop_table('case_search_text')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_party_party_id'))
        batch_op.drop_index(batch_op.f('ix_case_party_case_id'))

    op.drop_table('case_party')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))
        batch_op.drop_index('ix_case_event_action_on')

    op.drop_table('case_event')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_case_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_phone'))
        batch_op.drop_index(batch_op.f('ix_party_name'))
        batch_op.drop_index(batch_op.f('ix_party_id_number'))
        batch_op.drop_index(batch_op.f('ix_party_estate_id'))
        batch_op.drop_index(batch_op.f('ix_party_building_id'))

    op.drop_table('party')
    with op.batch_alter_table('mediator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediator_name'))

    op.drop_table('mediator')
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_case_subtype_id'))
        batch_op.drop_index('ix_mediation_case_status_deadline')
        batch_op.drop_index(batch_op.f('ix_mediation_case_registered_on'))
        batch_op.drop_index(batch_op.f('ix_mediation_case_property_company_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_case_estate_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_case_building_id'))

    op.drop_table('mediation_case')
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_building_estate_id'))

    op.drop_table('building')
    op.drop_table('number_sequence')
    with op.batch_alter_table('estate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_estate_property_company_id'))
        batch_op.drop_index(batch_op.f('ix_estate_community_id'))

    op.drop_table('estate')
    op.drop_table('step_template')
    op.drop_table('setting')
    op.drop_table('property_company')
    op.drop_table('dispute_subtype')
    op.drop_table('community')
    op.drop_table('committee')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
