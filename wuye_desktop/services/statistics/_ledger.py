"""台账: one row per case of the period, as it stood at the period's end.

"Of the period" means registered in it or with anything counted in it
(accepted, settled, terminated, refused, referred, filed, an agreement
signed, a judicial application, a return visit). Cases merely carried
over, still in mediation with nothing done in the period, are not rows.
Parties' phones, ID numbers and addresses, and the numbers typed into
简要案情, are masked unless the caller may see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from wuye_desktop.models import (
    Agreement,
    AgreementStatus,
    Building,
    CaseParty,
    DisputeSubtype,
    Estate,
    MediationCase,
    Party,
    PartyKind,
    PartyRole,
    PropertyCompany,
    ReturnVisit,
)
from wuye_desktop.services import validation
from wuye_desktop.services.statistics._figures import among, chunks, mediators_at, status_at


@dataclass(frozen=True)
class LedgerRow:
    case_id: int
    number: str
    registered_on: date
    source: str
    source_ref: str
    official_type: str
    subtype: str
    place: str  # 小区 and 楼栋
    company: str
    applicant: str
    phone: str
    id_number: str
    address: str
    respondents: str
    summary: str
    mediators: str
    accepted_on: date | None
    deadline: date | None
    status: str  # at the end of the period
    status_on: date | None
    agreement: str
    amount: Decimal | None  # 协议涉及金额, 元
    visit: str


@dataclass
class _Party:
    role: PartyRole
    kind: PartyKind
    name: str
    phone: str
    id_number: str
    address: str


def ledger(session: Session, case_ids: set[int], end: date, reveal: bool | set[int]) -> list[LedgerRow]:
    """``reveal``: show everyone's personal data, no one's, or only on these cases."""
    statuses = status_at(session, end, case_ids)
    mediators = mediators_at(session, end, case_ids)
    parties = _parties(session, case_ids)
    agreements = _latest_agreements(session, case_ids, end)
    visits = _latest_visits(session, case_ids, end)
    company = aliased(PropertyCompany)
    c = MediationCase
    rows: list[LedgerRow] = []
    for chunk in chunks(case_ids):
        stmt = (select(c.id, c.number, c.registered_on, c.source, c.source_ref, c.official_type, c.summary,
                       c.accepted_on, c.deadline, Estate.name, Building.name, company.name, DisputeSubtype.name)
                .outerjoin(Estate, Estate.id == c.estate_id)
                .outerjoin(Building, Building.id == c.building_id)
                .outerjoin(company, company.id == c.property_company_id)
                .outerjoin(DisputeSubtype, DisputeSubtype.id == c.subtype_id)
                .where(among(c.id, chunk)))
        for (case_id, number, registered_on, source, source_ref, official, summary, accepted_on, deadline,
             estate, building, company_name, subtype) in session.connection().execute(stmt):
            found = parties.get(case_id, [])
            applicant = next((p for p in found if p.role is PartyRole.APPLICANT), found[0] if found else None)
            status = statuses.get(case_id)
            signed = agreements.get(case_id)
            shown = reveal if isinstance(reveal, bool) else case_id in reveal
            accepted = accepted_on is not None and accepted_on <= end  # as the case stood at the end
            rows.append(LedgerRow(
                case_id=case_id, number=number, registered_on=registered_on, source=source.label,
                source_ref=source_ref, official_type=official.label, subtype=subtype or "",
                place="".join(x for x in (estate, building) if x), company=company_name or "",
                applicant=applicant.name if applicant else "",
                phone=_shown(applicant, "phone", shown), id_number=_shown(applicant, "id_number", shown),
                address=_shown(applicant, "address", shown),
                respondents="、".join(p.name for p in found if p.role is PartyRole.RESPONDENT),
                summary=summary if shown else validation.mask_text(summary),
                mediators="、".join(n for _i, n in mediators.get(case_id, [])),
                accepted_on=accepted_on if accepted else None, deadline=deadline if accepted else None,
                status=status[0].label if status else "", status_on=status[1] if status else None,
                agreement=f"{signed[0]} {signed[1]}".strip() if signed else "",
                amount=signed[2] if signed else None, visit=visits.get(case_id, ""),
            ))
    rows.sort(key=lambda r: (r.registered_on, r.case_id))
    return rows


def _shown(party: _Party | None, field: str, reveal: bool) -> str:
    if party is None:
        return ""
    value: str = getattr(party, field)
    if reveal or party.kind is not PartyKind.PERSON:  # a company's phone and address are not personal data
        return value
    if field == "phone":
        return validation.mask_phone(value)
    if field == "id_number":
        return validation.mask_id(value)
    return validation.mask_address(value)


def _parties(session: Session, case_ids: set[int]) -> dict[int, list[_Party]]:
    found: dict[int, list[_Party]] = {}
    for chunk in chunks(case_ids):
        stmt = (select(CaseParty.case_id, CaseParty.role, Party.kind, Party.name, Party.phone, Party.id_number,
                       Party.address)
                .join(Party, Party.id == CaseParty.party_id)
                .where(among(CaseParty.case_id, chunk)).order_by(CaseParty.case_id, CaseParty.position))
        for case_id, role, kind, name, phone, id_number, address in session.connection().execute(stmt):
            found.setdefault(case_id, []).append(_Party(role, kind, name, phone, id_number, address))
    return found


def _latest_agreements(session: Session, case_ids: set[int], end: date) -> dict[int, tuple[str, str, Decimal | None]]:
    """(kind, number, amount) of the last agreement signed on or before ``end``."""
    found: dict[int, tuple[str, str, Decimal | None]] = {}
    for chunk in chunks(case_ids):
        stmt = (select(Agreement.case_id, Agreement.kind, Agreement.number, Agreement.amount)
                .where(among(Agreement.case_id, chunk), Agreement.status == AgreementStatus.SIGNED,
                       Agreement.signed_on <= end)
                .order_by(Agreement.case_id, Agreement.signed_on, Agreement.id))
        for case_id, kind, number, amount in session.connection().execute(stmt):
            found[case_id] = (kind.label, number or "", amount)
    return found


def _latest_visits(session: Session, case_ids: set[int], end: date) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(case_ids):
        stmt = (select(ReturnVisit.case_id, ReturnVisit.performance)
                .where(among(ReturnVisit.case_id, chunk), ReturnVisit.visited_on <= end)
                .order_by(ReturnVisit.case_id, ReturnVisit.visited_on, ReturnVisit.id))
        for case_id, performance in session.connection().execute(stmt):
            found[case_id] = performance.label
    return found
