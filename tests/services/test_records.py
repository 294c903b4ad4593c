"""调查记录 / 调解记录: added, corrected with a version check, removed; refused on filed cases."""

from __future__ import annotations

from datetime import datetime

import pytest
from service_helpers import audit_since, case_in, last_audit_id

from wuye_desktop.errors import ConflictError, IllegalTransitionError, ValidationError
from wuye_desktop.models import CaseStatus, RecordKind
from wuye_desktop.services.casework import records
from wuye_desktop.services.casework.records import RecordInput
from wuye_desktop.services.context import Context


def _record(**fields: object) -> RecordInput:
    data = RecordInput(RecordKind.INVESTIGATION, datetime(2026, 11, 18, 14, 0), "核实漏水位置",
                       place="锦绣花园3号楼502室", statements="申请人称漏水已持续两周", findings="卫生间防水层破损")
    for name, value in fields.items():
        setattr(data, name, value)
    return data


def test_records_are_added_edited_and_deleted_with_audit(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.MEDIATING).case_id
    before = last_audit_id(ctx)
    record_id = records.add_record(ctx, case_id, _record())
    [view] = records.records(ctx, case_id)
    assert (view.kind, view.matter, view.recorder, view.rights_told) == (RecordKind.INVESTIGATION, "核实漏水位置",
                                                                           "王晓燕", True)
    records.update_record(ctx, record_id, _record(kind=RecordKind.SESSION, outcome="双方同意修复"), view.version)
    [edited] = records.records(ctx, case_id)
    assert (edited.kind, edited.outcome) == (RecordKind.SESSION, "双方同意修复")
    with pytest.raises(ConflictError):
        records.update_record(ctx, record_id, _record(), view.version)
    records.delete_record(ctx, record_id, edited.version)
    assert records.records(ctx, case_id) == []
    assert [a[1] for a in audit_since(ctx, before)] == ["add_record", "edit_record", "delete_record"]


def test_a_record_needs_its_matter_and_a_past_time(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.ACCEPTED).case_id
    with pytest.raises(ValidationError) as caught:
        records.add_record(ctx, case_id, _record(matter=" ", held_at=datetime(2026, 12, 1, 9)))
    assert set(caught.value.errors) == {"matter", "held_at"}
    assert records.records(ctx, case_id) == []


def test_no_records_on_a_filed_case(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.CLOSED).case_id
    with pytest.raises(IllegalTransitionError):
        records.add_record(ctx, case_id, _record())
