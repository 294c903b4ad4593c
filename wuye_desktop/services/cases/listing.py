"""The case register as a list: filters, sort, one page at a time, and related open cases.

Pages are fetched by offset with the parties and mediators of just that
page looked up afterwards, so a 100,000-case register costs one page of
work per screen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from wuye_desktop.models import (
    Assignment,
    CaseParty,
    CaseSource,
    CaseStatus,
    DisputeSubtype,
    Estate,
    MediationCase,
    Mediator,
    OfficialType,
    Party,
    RiskColour,
)
from wuye_desktop.services.cases import search
from wuye_desktop.services.cases.dto import CaseRow
from wuye_desktop.services.cases.registration import OPEN_STATUSES
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, allowed, personal_scope, requires


@dataclass
class CaseFilter:
    text: str = ""
    statuses: list[CaseStatus] = field(default_factory=list)
    official_type: OfficialType | None = None
    subtype_id: int | None = None
    estate_id: int | None = None
    mediator_id: int | None = None
    source: CaseSource | None = None
    risk: RiskColour | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    overdue_on: date | None = None  # open cases past their deadline on this day


# Status and risk sort in their meaning's order (the life of a case; red is most urgent), not by code.
_STATUS_ORDER = case({s.value: i for i, s in enumerate(CaseStatus)}, value=MediationCase.status)
_RISK_ORDER = case({RiskColour.BLUE.value: 1, RiskColour.YELLOW.value: 2, RiskColour.ORANGE.value: 3,
                    RiskColour.RED.value: 4}, value=MediationCase.risk)
SORT_COLUMNS: dict[str, tuple[Any, ...]] = {
    # committee first: the unique (committee_id, year, seq) index then serves the order without a sort.
    "number": (MediationCase.committee_id, MediationCase.year, MediationCase.seq),
    "registered_on": (MediationCase.registered_on, MediationCase.id),
    "status": (_STATUS_ORDER, MediationCase.id),
    "deadline": (MediationCase.deadline, MediationCase.id),
    "risk": (_RISK_ORDER, MediationCase.id),
    "estate": (Estate.name, MediationCase.id),
    "subtype": (DisputeSubtype.name, MediationCase.id),
}


def _where(session: Session, f: CaseFilter, personal: search.Personal, *,
           walk_order: bool = False) -> list[ColumnElement[bool]]:
    """The filter's conditions; ``personal``: whose personal data the text may match; ``walk_order``: see
    ``_walks_order``."""
    c = MediationCase
    conditions: list[ColumnElement[bool]] = []
    if f.statuses:
        conditions.append(c.status.in_(f.statuses))
    if f.official_type is not None:
        conditions.append(c.official_type == f.official_type)
    if f.subtype_id is not None:
        conditions.append(c.subtype_id == f.subtype_id)
    if f.estate_id is not None:
        conditions.append(c.estate_id == f.estate_id)
    if f.source is not None:
        conditions.append(c.source == f.source)
    if f.risk is not None:
        conditions.append(c.risk == f.risk)
    if f.registered_from is not None:
        conditions.append(c.registered_on >= f.registered_from)
    if f.registered_to is not None:
        conditions.append(c.registered_on <= f.registered_to)
    if f.overdue_on is not None:
        conditions.append(and_(c.status.in_(OPEN_STATUSES), c.deadline < f.overdue_on))
    if f.mediator_id is not None:
        conditions.append(c.id.in_(select(Assignment.case_id).where(
            Assignment.mediator_id == f.mediator_id, Assignment.recused_at.is_(None))))
    matching = search.matching_case_ids(session, f.text, personal)
    if matching is not None:
        # "id + 0" keeps SQLite from driving the query by the matches (see _walks_order).
        conditions.append((c.id + 0 if walk_order else c.id).in_(matching))
    return conditions


# Orders an index already holds: a page reads rows in index order and stops. Every other order
# (风险, 状态, 期限, 小区, 类别) is sorted as case ids first, then the page's rows are loaded:
# sorting 100,000 ids costs a seventh of sorting 100,000 whole rows.
_INDEXED_SORTS = {"registered_on", "number"}


def _walks_order(session: Session, f: CaseFilter, sort: str) -> bool:
    """Whether a search page should walk the sort's index, checking each case against the matches.

    SQLite cannot tell 5 matches from 50,000. Left alone it fetches every
    match and sorts them all (70 ms when a one-character search matches the
    whole register of 100,000 cases); walking the index in order and
    stopping after a page costs 1-30 ms whatever the number of matches.
    """
    return bool(search.terms(f.text)) and sort in _INDEXED_SORTS and session.get_bind().dialect.name == "sqlite"


@requires(Permission.READ_CASES)
def count(ctx: Context, f: CaseFilter) -> int:
    with ctx.db.reading() as session:
        return _count(session, f, personal_scope(ctx))


@requires(Permission.READ_CASES)
def page(ctx: Context, f: CaseFilter, offset: int, limit: int,
         sort: str = "registered_on", descending: bool = True) -> list[CaseRow]:
    with ctx.db.reading() as session:
        return _page(session, f, personal_scope(ctx), offset, limit, sort, descending)


@requires(Permission.READ_CASES)
def first_page(ctx: Context, f: CaseFilter, limit: int,
               sort: str = "registered_on", descending: bool = True) -> tuple[list[CaseRow], int]:
    """The first page and the number of matching cases, from one pass over the cases.

    A short search scans every case's text; asking for the count and the first
    page separately would scan it twice. Whatever the user's role, the text
    matches personal data only where they may see it (``personal_scope``).
    """
    personal = personal_scope(ctx)
    with ctx.db.reading() as session:
        if not search.terms(f.text) or _walks_order(session, f, sort):
            # Without a search the count comes from an index and the page from the sort order (a
            # window count would sort the whole register); a walked search page stops early.
            return _page(session, f, personal, 0, limit, sort, descending), _count(session, f, personal)
        # Rank and count the matching case ids alone, then load the page's 200 rows: joining
        # estates and sub-types onto every match costs a third of a short search.
        ranked = session.execute(_ranked_ids(sort, _where(session, f, personal), _order(sort, descending))
                                 .add_columns(func.count().over()).limit(limit)).all()
        total = int(ranked[0][1]) if ranked else 0
        return _in_order(session, [case_id for case_id, _t in ranked]), total


def _count(session: Session, f: CaseFilter, personal: search.Personal) -> int:
    return session.scalar(select(func.count()).select_from(MediationCase).where(*_where(session, f, personal))) or 0


def _order(sort: str, descending: bool) -> list[Any]:
    columns = SORT_COLUMNS[sort]
    return [col.desc() for col in columns] if descending else list(columns)


def _page(session: Session, f: CaseFilter, personal: search.Personal, offset: int, limit: int, sort: str,
          descending: bool) -> list[CaseRow]:
    order = _order(sort, descending)
    where = _where(session, f, personal, walk_order=_walks_order(session, f, sort))
    if sort not in _INDEXED_SORTS:
        ids = session.scalars(_ranked_ids(sort, where, order).offset(offset).limit(limit)).all()
        return _in_order(session, list(ids))
    return _rows(session, _base_select().where(*where).order_by(*order).offset(offset).limit(limit))


def _ranked_ids(sort: str, where: list[ColumnElement[bool]], order: list[Any]) -> Select[int]:
    """The matching case ids in the page's order, joined only to what the order needs.

    Sorting ids (with an estate's or sub-type's name) instead of whole rows is
    what keeps a 小区 or 类别 order quick: 47 ms instead of 400 ms for a page
    of a 100,000-case register.
    """
    stmt = select(MediationCase.id)
    if sort == "estate":
        stmt = stmt.outerjoin(Estate, Estate.id == MediationCase.estate_id)
    elif sort == "subtype":
        stmt = stmt.outerjoin(DisputeSubtype, DisputeSubtype.id == MediationCase.subtype_id)
    return stmt.where(*where).order_by(*order)


def _in_order(session: Session, ids: list[int]) -> list[CaseRow]:
    """The rows of these cases, in the order of ``ids``."""
    position = {case_id: index for index, case_id in enumerate(ids)}
    rows = _rows(session, _base_select().where(MediationCase.id.in_(position)))
    return sorted(rows, key=lambda row: position[row.id])


def _names_for(session: Session, ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    parties: dict[int, list[str]] = defaultdict(list)
    mediators: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return parties, mediators
    for case_id, name in session.execute(
        select(CaseParty.case_id, Party.name).join(Party, Party.id == CaseParty.party_id)
        .where(CaseParty.case_id.in_(ids)).order_by(CaseParty.case_id, CaseParty.position)
    ):
        parties[case_id].append(name)
    for case_id, name in session.execute(
        select(Assignment.case_id, Mediator.name).join(Mediator, Mediator.id == Assignment.mediator_id)
        .where(Assignment.case_id.in_(ids), Assignment.recused_at.is_(None))
        .order_by(Assignment.case_id, Assignment.id)
    ):
        mediators[case_id].append(name)
    return parties, mediators


@dataclass(frozen=True)
class RelatedCase:
    row: CaseRow
    reason: str  # 同一当事人 / 同一楼栋 / 同一物业企业


@requires(Permission.READ_CASES)
def related_open(ctx: Context, *, id_numbers: list[str], names: list[str], building_id: int | None,
                 property_company_id: int | None, exclude_case_id: int | None = None,
                 limit: int = 20) -> list[RelatedCase]:
    """Open cases that share a party, the building or the property company: warn before registering.

    ID numbers count only for a user who may see personal data: anyone else
    could otherwise ask whether a given number is in the register.
    """
    found: dict[int, str] = {}
    if not allowed(ctx, Permission.REVEAL_PERSONAL):
        id_numbers = []
    with ctx.db.reading() as session:
        open_cases = MediationCase.status.in_(OPEN_STATUSES)
        party_match = [Party.id_number.in_([n for n in id_numbers if n])]
        if names:
            party_match.append(Party.name.in_([n for n in names if n]))
        by_party = select(CaseParty.case_id).join(Party, Party.id == CaseParty.party_id).where(or_(*party_match))
        checks: list[tuple[str, ColumnElement[bool]]] = [("同一当事人", MediationCase.id.in_(by_party))]
        if building_id is not None:
            checks.append(("同一楼栋", MediationCase.building_id == building_id))
        if property_company_id is not None:
            checks.append(("同一物业企业", MediationCase.property_company_id == property_company_id))
        for reason, condition in checks:
            stmt = select(MediationCase.id).where(open_cases, condition)
            if exclude_case_id is not None:
                stmt = stmt.where(MediationCase.id != exclude_case_id)
            for (case_id,) in session.execute(stmt.order_by(MediationCase.id.desc()).limit(limit)):
                found.setdefault(case_id, reason)
    if not found:
        return []
    rows = {r.id: r for r in _rows_by_id(ctx, list(found))}
    return [RelatedCase(rows[i], found[i]) for i in found if i in rows][:limit]


def _rows_by_id(ctx: Context, ids: list[int]) -> list[CaseRow]:
    with ctx.db.reading() as session:
        return _rows(session, _base_select().where(MediationCase.id.in_(ids)))


def _base_select() -> Select[MediationCase, str, str]:
    return (
        select(MediationCase, Estate.name, DisputeSubtype.name)
        .outerjoin(Estate, Estate.id == MediationCase.estate_id)
        .outerjoin(DisputeSubtype, DisputeSubtype.id == MediationCase.subtype_id)
    )


def _rows(session: Session, stmt: Select[MediationCase, str, str]) -> list[CaseRow]:
    return _build_rows(session, [(case, estate, subtype) for case, estate, subtype in session.execute(stmt)])


def _build_rows(session: Session, found: list[tuple[MediationCase, str | None, str | None]]) -> list[CaseRow]:
    parties, mediators = _names_for(session, [case.id for case, _e, _s in found])
    return [
        CaseRow(case.id, case.number, case.registered_on, estate or "", subtype or "",
                "、".join(parties[case.id]), "、".join(mediators[case.id]),
                case.status, case.deadline, case.risk)
        for case, estate, subtype in found
    ]
