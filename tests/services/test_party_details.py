"""A party's details belong to the case that recorded them: another case never rewrites them unasked."""

from __future__ import annotations

import pytest
from service_helpers import audit_since, case_in, last_audit_id, person, register_case, resident_id
from sqlalchemy import func, select

from wuye_desktop.errors import IllegalTransitionError
from wuye_desktop.models import CaseParty, CaseStatus, Party, PartyRole
from wuye_desktop.services import cases
from wuye_desktop.services.cases import editing
from wuye_desktop.services.context import Context


def _applicant(ctx: Context, case_id: int) -> tuple[int, str, str, str]:
    """The first party of the case as recorded (read directly: revealing it through the service is audited)."""
    with ctx.db.reading() as session:
        row = session.execute(select(Party.id, Party.name, Party.phone, Party.address)
                              .join(CaseParty, CaseParty.party_id == Party.id)
                              .where(CaseParty.case_id == case_id).order_by(CaseParty.position).limit(1)).one()
        return row.id, row.name, row.phone, row.address


def _other(role: PartyRole = PartyRole.RESPONDENT) -> object:
    return person("钱二", role=role)


def test_a_new_case_with_a_known_id_number_leaves_the_closed_case_as_it_was(ctx: Context) -> None:
    number = resident_id()
    old = case_in(ctx, CaseStatus.CLOSED, parties=[
        person("赵一", id_number=number, phone="13912345678", address="幸福里3栋501室"), _other()]).case_id
    before = _applicant(ctx, old)
    mark = last_audit_id(ctx)

    new = register_case(ctx, "又一次投诉：楼上漏水", parties=[
        person("赵一", id_number=number, phone="13800001111", address="阳光水岸1栋202室"), _other()]).id

    assert _applicant(ctx, old) == before, "the closed case still shows what it recorded"
    assert _applicant(ctx, new)[2:] == ("13800001111", "阳光水岸1栋202室")
    assert {entry[3] for entry in audit_since(ctx, mark)} == {str(new)}, "only the new case was touched"
    assert [s.case_id for s in editing.same_person(ctx, new, _applicant(ctx, new)[0])] == [old]


def test_the_same_details_typed_again_are_the_same_party(ctx: Context) -> None:
    number = resident_id()
    first = register_case(ctx, parties=[person("赵一", id_number=number, phone="13912345678"), _other()]).id
    second = register_case(ctx, parties=[person("赵一", id_number=number, phone="13912345678"), _other()]).id
    assert _applicant(ctx, first)[0] == _applicant(ctx, second)[0]
    with ctx.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Party).where(Party.id_number == number)) == 1


def test_a_correction_in_one_case_reaches_another_only_when_asked(ctx: Context) -> None:
    number = resident_id()
    typed = person("赵一", id_number=number, phone="13912345678", address="幸福里3栋501室")
    first = register_case(ctx, parties=[typed, _other()]).id
    second = register_case(ctx, parties=[typed, _other()]).id
    party_id = _applicant(ctx, second)[0]
    corrected = person("赵一", id_number=number, phone="13700002222", address="幸福里3栋502室")

    editing.update_party(ctx, second, party_id, corrected, cases.get(ctx, second).version)
    assert _applicant(ctx, first)[2:] == ("13912345678", "幸福里3栋501室"), "not asked: unchanged"
    assert _applicant(ctx, second)[2:] == ("13700002222", "幸福里3栋502室")

    again = person("赵一", id_number=number, phone="13600003333", address="幸福里3栋503室")
    mark = last_audit_id(ctx)
    editing.update_party(ctx, second, _applicant(ctx, second)[0], again, cases.get(ctx, second).version,
                         also_cases=[first])
    assert _applicant(ctx, first)[2:] == _applicant(ctx, second)[2:] == ("13600003333", "幸福里3栋503室")
    touched = [(action, case) for _actor, action, _type, case in audit_since(ctx, mark)]
    assert touched == [("edit_party", str(second)), ("edit_party", str(first))], "each case touched is audited"


def test_a_closed_case_is_not_changed_even_when_asked(ctx: Context) -> None:
    number = resident_id()
    closed = case_in(ctx, CaseStatus.CLOSED, parties=[
        person("赵一", id_number=number, phone="13912345678"), _other()]).case_id
    open_case = register_case(ctx, parties=[person("赵一", id_number=number, phone="13912345678"), _other()]).id
    before = _applicant(ctx, open_case)
    with pytest.raises(IllegalTransitionError, match="已结案归档"):
        editing.update_party(ctx, open_case, before[0], person("赵一", id_number=number, phone="13700002222"),
                             cases.get(ctx, open_case).version, also_cases=[closed])
    assert _applicant(ctx, open_case) == before, "refused whole: nothing changed in this case either"
    assert _applicant(ctx, closed)[2] == "13912345678"
