"""Registering disputes and reading them back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wuye_desktop.errors import ConflictError, NotFoundError, ValidationError
from wuye_desktop.models import (
    Assignment,
    Building,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Committee,
    DisputeSubtype,
    Estate,
    MediationCase,
    Party,
    PartyKind,
    PropertyCompany,
)
from wuye_desktop.services import audit, settings, validation
from wuye_desktop.services.cases import _masking as masking
from wuye_desktop.services.cases import numbering, search
from wuye_desktop.services.cases.dto import (
    AssignmentView,
    CaseDetail,
    CaseDraft,
    CaseRef,
    EventView,
    PartyInput,
    PartyView,
)
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, may_act_on_case, require_case, requires

OPEN_STATUSES = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


# -- registering ---------------------------------------------------------------


@requires(Permission.REGISTER_CASES)
def register(ctx: Context, draft: CaseDraft) -> CaseRef:
    """Register a dispute: validate everything first, then write it all or nothing."""
    checked = check_draft(ctx, draft)
    with ctx.db.writing() as session:
        return register_in(session, ctx, draft, checked)


class CheckedDraft(NamedTuple):
    parties: list[dict[str, object]]
    registered_on: date
    amount: Decimal | None
    people: int | None


def check_draft(ctx: Context, draft: CaseDraft, earliest: date | None = None) -> CheckedDraft:
    """The rules that need no case of the register; ``ValidationError`` names every bad field (imports report
    them per row). ``earliest``: the first day a registration may have (read from the settings if not given)."""
    errors: dict[str, str] = {}
    clean_parties = [_clean_party(p, i, errors) for i, p in enumerate(draft.parties)]
    registered_on = _optional_date(draft.registered_on, "registered_on", errors) or ctx.today()
    _guard(errors, lambda: settings.check_day(ctx, registered_on, field="registered_on", what="登记日期",
                                              earliest=earliest))
    amount = _guard(errors, lambda: validation.amount(draft.amount, field="amount"))
    people = _count(draft.people_count, "people_count", errors)
    if not draft.summary.strip():
        errors["summary"] = "请填写简要案情（一句话说明纠纷）"
    elif len(draft.summary.strip()) > 200:
        errors["summary"] = "简要案情请控制在200字以内，详细经过写在“纠纷事实”中"
    if not draft.parties:
        errors["parties"] = "至少需要一位当事人"
    if errors:
        raise ValidationError(errors)
    return CheckedDraft(clean_parties, registered_on, amount, people)


def register_in(session: Session, ctx: Context, draft: CaseDraft, checked: CheckedDraft) -> CaseRef:
    """Write a checked draft in the caller's transaction, so an import registers many all or nothing.

    The caller has checked the permission.
    """
    clean_parties, registered_on, amount, people = checked
    _check_places(session, draft)
    committee = default_committee(session)
    seq, number = numbering.take_next(session, committee, numbering.CASE, registered_on.year)
    case = MediationCase(
        committee_id=committee.id, number=number, year=registered_on.year, seq=seq,
        source=draft.source, source_ref=draft.source_ref.strip(),
        official_type=draft.official_type, subtype_id=draft.subtype_id,
        estate_id=draft.estate_id, building_id=draft.building_id,
        property_company_id=draft.property_company_id or _company_of(session, draft.estate_id),
        summary=draft.summary.strip(), facts=draft.facts.strip(), risk=draft.risk,
        status=CaseStatus.REGISTERED, registered_on=registered_on, amount=amount,
        people_count=people or len(draft.parties), registrar=draft.registrar.strip() or ctx.actor,
    )
    session.add(case)
    session.flush()
    for position, (raw, values) in enumerate(zip(draft.parties, clean_parties, strict=True)):
        party = _find_or_create_party(session, values)
        case.parties.append(CaseParty(party=party, role=raw.role, position=position,
                                      agent_name=raw.agent_name.strip()))
    session.add(CaseEvent(case_id=case.id, action="register", to_status=CaseStatus.REGISTERED,
                          occurred_on=registered_on, recorded_at=ctx.now(), actor=ctx.actor))
    session.flush()
    refresh_search_text(session, case.id)
    audit.record(session, ctx.actor, "create", "case", case.id,
                 {"number": number, "parties": len(draft.parties)})
    return CaseRef(case.id, case.number, case.version)


def _guard(errors: dict[str, str], parse):  # type: ignore[no-untyped-def]
    try:
        return parse()
    except ValidationError as exc:
        errors.update(exc.errors)
        return None


def _optional_date(raw: str, field: str, errors: dict[str, str]) -> date | None:
    if not raw.strip():
        return None
    result: date | None = _guard(errors, lambda: validation.parse_date(raw, field=field))
    return result


def _count(raw: str, field: str, errors: dict[str, str]) -> int | None:
    if not raw.strip():
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        errors[field] = "人数应为整数"
        return None
    if value < 0 or value > 100_000:
        errors[field] = "人数应在0到100000之间"
        return None
    return value


def _clean_party(p: PartyInput, index: int, errors: dict[str, str]) -> dict[str, object]:
    """Check one party's fields; errors are keyed ``parties.<index>.<field>``."""
    key = f"parties.{index}."
    label = f"第{index + 1}位当事人"
    values: dict[str, object] = {
        "kind": p.kind, "name": p.name.strip(), "gender": p.gender.strip(),
        "ethnicity": p.ethnicity.strip(), "occupation": p.occupation.strip(),
        "address": p.address.strip(), "representative": p.representative.strip(),
        "representative_title": p.representative_title.strip(),
        "estate_id": p.estate_id, "building_id": p.building_id, "room": p.room.strip(),
        "phone": "", "id_number": "", "birth_date": None, "age": None,
    }
    if not values["name"]:
        errors[key + "name"] = f"{label}：请填写姓名或名称"
    if p.phone.strip():
        values["phone"] = _guard(errors, lambda: validation.phone(p.phone, field=key + "phone")) or ""
    if p.id_number.strip():
        if p.kind is PartyKind.PERSON:
            number = _guard(errors, lambda: validation.resident_id(p.id_number, field=key + "id_number"))
            if number:
                values["id_number"] = number
                values["birth_date"] = validation.birth_date_from_id(number)
                values["gender"] = values["gender"] or validation.gender_from_id(number)
        else:
            values["id_number"] = _guard(
                errors, lambda: validation.credit_code(p.id_number, field=key + "id_number")) or ""
    if p.birth_date.strip() and values["birth_date"] is None:
        values["birth_date"] = _optional_date(p.birth_date, key + "birth_date", errors)
    if p.age.strip():
        age = _count(p.age, key + "age", errors)
        if age is not None and age > 130:
            errors[key + "age"] = f"{label}：年龄不合理"
        values["age"] = age
    if values["gender"] not in ("", "男", "女"):
        errors[key + "gender"] = f"{label}：性别请选“男”或“女”"
    return values


def _check_places(session: Session, draft: CaseDraft) -> None:
    if draft.building_id is not None:
        building = session.get(Building, draft.building_id)
        if building is None:
            raise ValidationError.single("building_id", "所选楼栋不存在，请重新选择")
        if draft.estate_id is not None and building.estate_id != draft.estate_id:
            raise ValidationError.single("building_id", "所选楼栋不属于所选小区")
    if draft.estate_id is not None and session.get(Estate, draft.estate_id) is None:
        raise ValidationError.single("estate_id", "所选小区不存在，请重新选择")
    if draft.subtype_id is not None and session.get(DisputeSubtype, draft.subtype_id) is None:
        raise ValidationError.single("subtype_id", "所选纠纷类别不存在，请重新选择")
    for index, party in enumerate(draft.parties):
        key = f"parties.{index}."
        if party.estate_id is not None and session.get(Estate, party.estate_id) is None:
            raise ValidationError.single(key + "estate_id", f"第{index + 1}位当事人所选小区不存在，请重新选择")
        if party.building_id is not None and session.get(Building, party.building_id) is None:
            raise ValidationError.single(key + "building_id", f"第{index + 1}位当事人所选楼栋不存在，请重新选择")


def _company_of(session: Session, estate_id: int | None) -> int | None:
    if estate_id is None:
        return None
    estate = session.get(Estate, estate_id)
    return estate.property_company_id if estate else None


PARTY_FIELDS = ("kind", "name", "gender", "ethnicity", "birth_date", "age", "occupation", "phone", "id_number",
                "address", "representative", "representative_title", "estate_id", "building_id", "room", "notes")


def _find_or_create_party(session: Session, values: dict[str, object]) -> Party:
    """The party with the same ID number (or credit code), if what was typed changes nothing of theirs.

    One ``Party`` row may serve several cases, so a repeat complainant is
    recognised by the number. Details typed for a new case that differ from
    those the other cases recorded go to a row of its own (the same person by
    the same number): registering a case never rewrites another case's parties.
    """
    party = None
    if values["id_number"]:
        party = session.scalar(select(Party).where(Party.id_number == values["id_number"])
                               .order_by(Party.id.desc()).limit(1))
    if party is None:
        party = Party(**values)
        session.add(party)
        return party
    differs = {k: v for k, v in values.items() if v not in (None, "") and getattr(party, k) != v}
    if not differs:
        return party
    copy = Party(**{k: getattr(party, k) for k in PARTY_FIELDS})
    for name, value in differs.items():
        setattr(copy, name, value)
    session.add(copy)
    return copy


def default_committee(session: Session) -> Committee:
    committee = session.scalar(select(Committee).order_by(Committee.id).limit(1))
    if committee is None:
        raise NotFoundError("台账尚未初始化：请先运行 wuye init 或重新启动程序")
    return committee


def refresh_search_text(session: Session, case_id: int) -> None:
    case = session.get(MediationCase, case_id)
    assert case is not None
    parts: list[object] = [case.number, case.source_ref, case.summary, case.facts]
    personal: list[object] = []
    for cp in case.parties:
        p = cp.party
        shown, hidden = search.party_parts(p.kind is PartyKind.PERSON, p.name, p.phone, p.id_number, p.address,
                                           p.room, p.representative, cp.agent_name)
        parts += shown
        personal += hidden
    for place in (case.estate, case.building, case.property_company):
        if place is not None:
            parts.append(place.name)
    search.store(session, case_id, search.text_of(parts, personal))


# -- reading --------------------------------------------------------------------


def load(session: Session, case_id: int, expected_version: int | None = None) -> MediationCase:
    """The case for a change; a stale ``expected_version`` means someone else saved first."""
    case = session.get(MediationCase, case_id)
    if case is None:
        raise NotFoundError(f"找不到编号为 {case_id} 的案件，可能已被删除")
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(f"案件 {case.number} 已被其他人修改，请重新打开后再操作")
    return case


@requires(Permission.READ_CASES)
def find(ctx: Context, reference: str) -> CaseRef:
    """A case by its number (（2026）某某调字第12号, or just 12 for this year's) or its internal id."""
    ref = reference.strip()
    with ctx.db.reading() as session:
        case = session.scalar(select(MediationCase).where(MediationCase.number == ref))
        number = validation.small_whole_number(ref)
        if case is None and number is not None:
            case = session.scalar(
                select(MediationCase).where(
                    or_(MediationCase.id == number,
                        (MediationCase.year == ctx.today().year) & (MediationCase.seq == number))
                ).order_by(MediationCase.id).limit(1)
            )
        if case is None:
            raise NotFoundError(f"找不到案件“{ref}”。请输入完整的案件编号，例如（2026）某某调字第12号")
        return CaseRef(case.id, case.number, case.version)


@requires(Permission.READ_CASES)
def get(ctx: Context, case_id: int, *, reveal: bool = False) -> CaseDetail:
    """The case, with people's phone, ID number and address masked.

    Its free text is masked too for a user who may not see personal data on
    this case (a 查看 user; a mediator on a case not theirs). ``reveal=True``
    gives the full values: it needs ``REVEAL_PERSONAL`` (a mediator: on a
    case of theirs) and is audited, like ``reveal``.
    """
    if reveal:
        require_case(ctx, Permission.REVEAL_PERSONAL, case_id)
    texts_shown = reveal or may_act_on_case(ctx, Permission.REVEAL_PERSONAL, case_id)
    with ctx.db.writing() if reveal else ctx.db.reading() as session:
        case = session.scalar(
            select(MediationCase).where(MediationCase.id == case_id).options(
                selectinload(MediationCase.parties).selectinload(CaseParty.party),
                selectinload(MediationCase.assignments).selectinload(Assignment.mediator),
                selectinload(MediationCase.events), selectinload(MediationCase.agreements),
            )
        )
        if case is None:
            raise NotFoundError(f"找不到编号为 {case_id} 的案件，可能已被删除")
        if not reveal:
            return masking.case_detail(_detail(case), texts_shown=texts_shown)
        audit.record(session, ctx.actor, "reveal", "case", case.id,
                     {"number": case.number, "parties": len(case.parties)}, at=ctx.now())
        return _detail(case)


@requires(Permission.REVEAL_PERSONAL)
def reveal(ctx: Context, case_id: int, party_id: int) -> PartyView:
    """One party's full phone, ID number and address, shown on purpose; the look is audited."""
    with ctx.db.writing() as session:
        case = load(session, case_id)
        link = next((cp for cp in case.parties if cp.party_id == party_id), None)
        if link is None:
            raise NotFoundError(f"案件 {case.number} 中没有这位当事人，可能已被移除")
        audit.record(session, ctx.actor, "reveal", "case", case.id,
                     {"number": case.number, "party_id": party_id, "name": link.party.name}, at=ctx.now())
        return _party_view(link)


def _detail(case: MediationCase) -> CaseDetail:
    def place(obj: Estate | Building | PropertyCompany | DisputeSubtype | None) -> str:
        return obj.name if obj is not None else ""

    return CaseDetail(
        id=case.id, version=case.version, number=case.number, status=case.status,
        source=case.source, source_ref=case.source_ref, official_type=case.official_type,
        subtype=place(case.subtype), estate=place(case.estate), building=place(case.building),
        property_company=place(case.property_company), summary=case.summary, facts=case.facts,
        risk=case.risk, registered_on=case.registered_on, accepted_on=case.accepted_on,
        deadline=case.deadline, concluded_on=case.concluded_on, closed_on=case.closed_on,
        amount=case.amount, registrar=case.registrar, escalation=case.escalation.label,
        parties=[_party_view(cp) for cp in case.parties],
        assignments=[
            AssignmentView(a.id, a.mediator_id, a.mediator.name, a.role, a.chosen_by,
                           a.assigned_at, a.recused_at, a.recusal_reason)
            for a in case.assignments
        ],
        events=[EventView(e.action, e.from_status, e.to_status, e.occurred_on, e.actor, e.note)
                for e in case.events],
        agreement_ids=[a.id for a in case.agreements],
    )


def _party_view(cp: CaseParty) -> PartyView:
    return PartyView(
        party_id=cp.party.id, role=cp.role, kind=cp.party.kind, name=cp.party.name,
        gender=cp.party.gender, ethnicity=cp.party.ethnicity,
        birth_date=cp.party.birth_date, age=cp.party.age, occupation=cp.party.occupation,
        phone=cp.party.phone, id_number=cp.party.id_number, address=cp.party.address,
        representative=cp.party.representative,
        representative_title=cp.party.representative_title, agent_name=cp.agent_name,
    )
