"""Correcting a registered case and its parties, guarded by the case's version.

Every change here bumps the case's version, so a workspace opened before
someone else's save gets a ``ConflictError`` instead of overwriting it.
The search text is rewritten in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError, IllegalTransitionError, NotFoundError, ValidationError
from wuye_desktop.models import (
    CaseParty,
    CaseSource,
    CaseStatus,
    MediationCase,
    OfficialType,
    Party,
    PartyRole,
    RiskColour,
)
from wuye_desktop.services import audit, validation
from wuye_desktop.services.cases import registration as cases
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, may_act_on_case, requires


@dataclass
class CaseEdit:
    """The registration fields that may be corrected after registering."""

    summary: str
    facts: str = ""
    source: CaseSource = CaseSource.APPLICATION
    source_ref: str = ""
    official_type: OfficialType = OfficialType.PROPERTY
    subtype_id: int | None = None
    estate_id: int | None = None
    building_id: int | None = None
    property_company_id: int | None = None
    risk: RiskColour = RiskColour.YELLOW
    amount: str = ""
    people_count: str = ""


def _editable(session: Session, case_id: int, expected_version: int) -> MediationCase:
    case = cases.load(session, case_id, expected_version)
    if case.status is CaseStatus.CLOSED:
        raise IllegalTransitionError(f"案件 {case.number} 已结案归档，不能修改；如需修改请先重新调解")
    return case


def _touch(ctx: Context, session: Session, case: MediationCase) -> int:
    """Bump the case's version (and its search text) after a change to it or its parties."""
    case.updated_at = ctx.now()
    session.flush()
    cases.refresh_search_text(session, case.id)
    return case.version


@requires(Permission.REGISTER_CASES)
def update_case(ctx: Context, case_id: int, edit: CaseEdit, expected_version: int) -> int:
    """Save corrected registration fields; returns the case's new version."""
    errors: dict[str, str] = {}
    summary = edit.summary.strip()
    if not summary:
        errors["summary"] = "请填写简要案情（一句话说明纠纷）"
    elif len(summary) > 200:
        errors["summary"] = "简要案情请控制在200字以内，详细经过写在“纠纷事实”中"
    if len(edit.source_ref.strip()) > 60:
        errors["source_ref"] = "来源编号请控制在60字以内"
    amount = None
    try:
        amount = validation.amount(edit.amount, field="amount")
    except ValidationError as exc:
        errors.update(exc.errors)
    people: int | None = None
    if edit.people_count.strip():
        try:
            people = int(edit.people_count.strip())
            if not 0 <= people <= 100_000:
                errors["people_count"] = "人数应在0到100000之间"
        except ValueError:
            errors["people_count"] = "人数应为整数"
    if errors:
        raise ValidationError(errors)
    texts_shown = may_act_on_case(ctx, Permission.REVEAL_PERSONAL, case_id)
    with ctx.db.writing() as session:
        cases._check_places(session, CaseDraft(summary=summary, parties=[], estate_id=edit.estate_id,
                                               building_id=edit.building_id, subtype_id=edit.subtype_id))
        case = _editable(session, case_id, expected_version)
        company = edit.property_company_id
        if company is None and edit.estate_id is not None and edit.estate_id != case.estate_id:
            company = cases._company_of(session, edit.estate_id)
        if not texts_shown:
            summary = _unmasked(case.summary, summary, "summary", "简要案情")
        facts = edit.facts.strip() if texts_shown else _unmasked(case.facts, edit.facts.strip(), "facts", "纠纷事实")
        values: dict[str, object] = {
            "summary": summary, "facts": facts, "source": edit.source,
            "source_ref": edit.source_ref.strip(), "official_type": edit.official_type,
            "subtype_id": edit.subtype_id, "estate_id": edit.estate_id, "building_id": edit.building_id,
            "property_company_id": company, "risk": edit.risk, "amount": amount,
        }
        if people is not None:
            values["people_count"] = people
        changed = [k for k, v in values.items() if getattr(case, k) != v]
        for key in changed:
            setattr(case, key, values[key])
        version = _touch(ctx, session, case)
        audit.record(session, ctx.actor, "edit_case", "case", case.id, {"fields": changed})
        return version


def _unmasked(stored: str, typed: str, field: str, label: str) -> str:
    """What to save for text the user saw masked: the stored text if they left it as shown.

    Saving the masked form back would lose the numbers in it, so a change to
    text with hidden personal data is refused.
    """
    shown = validation.mask_text(stored)
    if shown == stored:  # nothing was hidden
        return typed
    if typed == shown:
        return stored
    raise ValidationError.single(field, f"{label}中有已隐去的个人信息，只有可查看完整个人信息的用户才能修改这段文字")


def _clean(party: PartyInput, index: int) -> dict[str, object]:
    errors: dict[str, str] = {}
    values = cases._clean_party(party, index, errors)
    if errors:
        raise ValidationError(errors)
    return values


def _case_party(case: MediationCase, party_id: int) -> CaseParty:
    found = next((cp for cp in case.parties if cp.party_id == party_id), None)
    if found is None:
        raise NotFoundError("这位当事人已不在本案中，可能已被其他人移除，请重新载入")
    return found


@dataclass(frozen=True)
class SamePerson:
    """Another case where the party being corrected appears (the same row, or the same ID number)."""

    case_id: int
    number: str
    status: CaseStatus


def _same_person_links(session: Session, case_id: int, row: Party) -> list[CaseParty]:
    same = CaseParty.party_id == row.id
    if row.id_number:
        same = or_(same, CaseParty.party_id.in_(select(Party.id).where(Party.id_number == row.id_number)))
    return list(session.scalars(select(CaseParty).where(same, CaseParty.case_id != case_id)
                                .order_by(CaseParty.case_id)))


@requires(Permission.REGISTER_CASES)
def same_person(ctx: Context, case_id: int, party_id: int) -> list[SamePerson]:
    """The other cases a correction of this party could also be made in (offered, never done unasked)."""
    with ctx.db.reading() as session:
        row = session.get(Party, party_id)
        if row is None:
            return []
        seen: dict[int, SamePerson] = {}
        for link in _same_person_links(session, case_id, row):
            case = link.case
            seen.setdefault(case.id, SamePerson(case.id, case.number, case.status))
        return list(seen.values())


@requires(Permission.REGISTER_CASES)
def update_party(ctx: Context, case_id: int, party_id: int, party: PartyInput, expected_version: int,
                 index: int = 0, also_cases: Sequence[int] = ()) -> int:
    """Correct a party's details and role in this case; ``index`` only names the form's row in error keys.

    The other cases this person appears in keep what they recorded, unless
    they are named in ``also_cases`` (the clerk was asked, case by case); a
    closed case is never changed. Every case changed gets its own audit entry.
    """
    values = _clean(party, index)
    with ctx.db.writing() as session:
        case = _editable(session, case_id, expected_version)
        link = _case_party(case, party_id)
        row = link.party
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        others = _same_person_links(session, case_id, row)
        wanted = set(also_cases)
        if changed:
            shared = any(other.party_id == row.id for other in others)
            if shared:
                # Copy on write: the cases not asked for keep the row they recorded.
                row = Party(**{k: getattr(row, k) for k in cases.PARTY_FIELDS})
                session.add(row)
                link.party = row
            for key in changed:
                setattr(row, key, values[key])
        if link.role is not party.role:
            changed.append("role")
            link.role = party.role
        link.agent_name = party.agent_name.strip()
        version = _touch(ctx, session, case)
        audit.record(session, ctx.actor, "edit_party", "case", case.id, {"party": row.id, "fields": changed})
        details = [k for k in changed if k != "role"]
        for other in others:
            if other.case_id not in wanted or not details:
                continue
            other_case = other.case
            if other_case.status is CaseStatus.CLOSED:
                raise IllegalTransitionError(f"案件 {other_case.number} 已结案归档，不能修改其中当事人的信息")
            other.party = row
            _touch(ctx, session, other_case)
            audit.record(session, ctx.actor, "edit_party", "case", other_case.id,
                         {"party": row.id, "fields": details, "from_case": case.id})
        return version


@requires(Permission.REGISTER_CASES)
def add_party(ctx: Context, case_id: int, party: PartyInput, expected_version: int, index: int = 0) -> int:
    values = _clean(party, index)
    with ctx.db.writing() as session:
        case = _editable(session, case_id, expected_version)
        row = cases._find_or_create_party(session, values)
        session.flush()
        if any(cp.party_id == row.id and cp.role is party.role for cp in case.parties):
            raise DomainError(f"{row.name} 已是本案的{party.role.label}")
        position = max((cp.position for cp in case.parties), default=-1) + 1
        case.parties.append(CaseParty(party=row, role=party.role, position=position,
                                      agent_name=party.agent_name.strip()))
        case.people_count = max(case.people_count, len(case.parties))
        version = _touch(ctx, session, case)
        audit.record(session, ctx.actor, "add_party", "case", case.id, {"party": row.id, "role": party.role.value})
        return version


@requires(Permission.REGISTER_CASES)
def remove_party(ctx: Context, case_id: int, party_id: int, expected_version: int) -> int:
    with ctx.db.writing() as session:
        case = _editable(session, case_id, expected_version)
        link = _case_party(case, party_id)
        if len(case.parties) <= 1:
            raise DomainError("案件至少需要一位当事人，不能移除最后一位")
        if link.snapshot is not None:
            raise DomainError(f"{link.party.name} 已在生效协议中签字，不能从本案移除")
        applicants = [cp for cp in case.parties if cp.role is PartyRole.APPLICANT]
        if link.role is PartyRole.APPLICANT and len(applicants) == 1 and case.source is CaseSource.APPLICATION:
            raise DomainError("当事人申请的案件至少需要一位申请人")
        case.parties.remove(link)
        version = _touch(ctx, session, case)
        audit.record(session, ctx.actor, "remove_party", "case", case.id, {"party": party_id})
        return version
