"""What happened in a period, read from the register by the date of each event.

A case counts in a figure in the period its event fell in: accepted in
October and settled in November, it is 受理 in October and 调解成功 in
November. Status changes come from ``CaseEvent.occurred_on``; agreements
and their amounts from ``Agreement.signed_on``; judicial-confirmation
applications from ``Agreement.judicial_applied_on``; return visits from
``ReturnVisit.visited_on``; registrations from ``MediationCase.registered_on``.
"In mediation at the end" is the status each case had on the last day,
rebuilt from its history, not today's status.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import Executable

from wuye_desktop.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Assignment,
    CaseEvent,
    CaseSource,
    CaseStatus,
    MediationCase,
    Mediator,
    OfficialType,
    Performance,
    ReturnVisit,
)
from wuye_desktop.services.statistics.periods import Period

COUNTED_ACTIONS = ("accept", "agree", "terminate", "refuse", "refer", "close")
OPEN_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
Rows = TypeVar("Rows", bound=Select[*tuple[Any, ...]])
_CHUNK = 5000  # ids per IN list (written out, see among)

_C = MediationCase
_CASE_COLUMNS = (
    _C.id, _C.committee_id, _C.source, _C.official_type, _C.subtype_id, _C.estate_id,
    _C.property_company_id, _C.people_count, _C.prevented_criminal, _C.prevented_suicide,
    _C.prevented_group_petition, _C.prevented_group_fight, _C.accepted_on, _C.deadline, _C.registered_on,
)
_WIDTH = len(_CASE_COLUMNS)


@dataclass(frozen=True)
class CaseFacts:
    """What a case's figures are grouped by."""

    id: int
    committee_id: int
    source: CaseSource
    official_type: OfficialType
    subtype_id: int | None
    estate_id: int | None
    company_id: int | None
    people: int
    prevented: tuple[bool, bool, bool, bool]  # criminal, suicide, group petition, group fight
    accepted_on: date | None
    deadline: date | None
    registered_on: date


@dataclass
class PeriodFacts:
    period: Period
    reference_day: date  # the period's end, or today for a period still running
    cases: dict[int, CaseFacts] = field(default_factory=dict)
    registered: set[int] = field(default_factory=set)
    events: dict[str, set[int]] = field(default_factory=lambda: {a: set() for a in COUNTED_ACTIONS})
    concluded_on: dict[int, date] = field(default_factory=dict)  # latest agree/terminate in the period
    open_at_end: set[int] = field(default_factory=set)
    agreements: list[tuple[int, AgreementKind, Decimal]] = field(default_factory=list)
    judicial: list[int] = field(default_factory=list)  # case id per application
    visits: list[tuple[int, Performance]] = field(default_factory=list)

    def involved(self) -> set[int]:
        """Every case behind a figure of the period, including those merely still in mediation at its end."""
        return self.active() | self.open_at_end

    def active(self) -> set[int]:
        """Cases registered in the period or with anything counted in it: the rows of the ledger."""
        ids = set(self.registered)
        for found in self.events.values():
            ids |= found
        ids.update(case_id for case_id, _k, _a in self.agreements)
        ids.update(self.judicial)
        ids.update(case_id for case_id, _p in self.visits)
        return ids

    def overdue(self, case_id: int) -> bool:
        deadline = self.cases[case_id].deadline
        return case_id in self.open_at_end and deadline is not None and deadline < self.reference_day


def collect(session: Session, period: Period, committee_id: int | None, today: date) -> PeriodFacts:
    facts = PeriodFacts(period, min(period.end, today))
    start, end = period.start, period.end
    scope = [_C.committee_id == committee_id] if committee_id is not None else []
    # Thin queries first (ids and what was counted), then each case's attributes once.
    facts.registered.update(_scalars(session, select(_C.id).where(_C.registered_on.between(start, end), *scope)))
    events = _scoped(select(CaseEvent.case_id, CaseEvent.action, CaseEvent.occurred_on)
                     .where(CaseEvent.action.in_(COUNTED_ACTIONS), CaseEvent.occurred_on.between(start, end)),
                     CaseEvent.case_id, scope)
    for case_id, action, day in _rows(session, events):
        facts.events[action].add(case_id)
        if action in ("agree", "terminate") and day > facts.concluded_on.get(case_id, date.min):
            facts.concluded_on[case_id] = day
    facts.open_at_end = open_at(session, end, scope)
    signed = _scoped(select(Agreement.case_id, Agreement.kind, Agreement.amount)
                     .where(Agreement.status == AgreementStatus.SIGNED, Agreement.signed_on.between(start, end)),
                     Agreement.case_id, scope)
    facts.agreements = [(case_id, kind, amount or Decimal(0)) for case_id, kind, amount in _rows(session, signed)]
    applied = _scoped(select(Agreement.case_id).where(Agreement.status == AgreementStatus.SIGNED,
                                                      Agreement.judicial_applied_on.between(start, end)),
                      Agreement.case_id, scope)
    facts.judicial = list(_scalars(session, applied))
    visits = _scoped(select(ReturnVisit.case_id, ReturnVisit.performance)
                     .where(ReturnVisit.visited_on.between(start, end)), ReturnVisit.case_id, scope)
    facts.visits = [(case_id, performance) for case_id, performance in _rows(session, visits)]
    for chunk in chunks(facts.involved()):
        for row in _rows(session, select(*_CASE_COLUMNS).where(among(_C.id, chunk))):
            _remember(facts, row)
    return facts


def _scoped(stmt: Rows, case_id: InstrumentedAttribute[int], scope: list[Any]) -> Rows:
    """Narrowed to one committee's cases; without a committee no join is needed."""
    return stmt.join(_C, _C.id == case_id).where(*scope) if scope else stmt


def open_at(session: Session, end: date, scope: list[Any]) -> set[int]:
    """Cases whose status at the end of ``end`` was 已受理 or 调解中.

    A case with no status change after ``end`` still has the status it had
    then; only the others need their history replayed, so the window query
    runs over the few cases that moved since, not the whole register.
    """
    later = (select(CaseEvent.case_id).where(CaseEvent.to_status.is_not(None), CaseEvent.occurred_on > end))
    unchanged = select(_C.id).where(_C.registered_on <= end, _C.status.in_(OPEN_STATUSES),
                                    _C.id.not_in(later), *scope)
    found = set(_scalars(session, unchanged))
    moved = select(_C.id).where(_C.registered_on <= end, _C.id.in_(later), *scope)
    latest = latest_status(end, moved)
    found.update(_scalars(session, select(latest.c.case_id).where(
        latest.c.rn == 1, latest.c.to_status.in_(OPEN_STATUSES))))
    return found


def _rows(session: Session, stmt: Executable) -> Iterator[Sequence[Any]]:
    """Plain tuples through the connection: tens of thousands of rows need no ORM bookkeeping."""
    for row in session.connection().execute(stmt):
        yield tuple(row)


def _scalars(session: Session, stmt: Executable) -> Iterator[Any]:
    for row in session.connection().execute(stmt):
        yield row[0]


def _remember(facts: PeriodFacts, row: Sequence[Any]) -> int:
    case_id: int = row[0]
    if case_id not in facts.cases:
        facts.cases[case_id] = CaseFacts(
            id=case_id, committee_id=row[1], source=row[2], official_type=row[3], subtype_id=row[4],
            estate_id=row[5], company_id=row[6], people=row[7] or 0,
            prevented=(bool(row[8]), bool(row[9]), bool(row[10]), bool(row[11])),
            accepted_on=row[12], deadline=row[13], registered_on=row[14],
        )
    return case_id


def latest_status(end: date, case_ids: Iterable[int] | Select[Any] | None = None) -> Any:
    """Each case's last status change that had happened by the end of ``end`` (rank 1), as a subquery.

    "Last" is in the order the changes were recorded (the event id): an
    agreement entered with an earlier signing date still follows the
    mediation step recorded before it.
    """
    ranked = select(
        CaseEvent.case_id, CaseEvent.to_status, CaseEvent.occurred_on,
        func.row_number().over(partition_by=CaseEvent.case_id, order_by=CaseEvent.id.desc()).label("rn"),
    ).where(CaseEvent.to_status.is_not(None), CaseEvent.occurred_on <= end)
    if case_ids is not None:
        ranked = ranked.where(CaseEvent.case_id.in_(case_ids) if isinstance(case_ids, Select)
                              else among(CaseEvent.case_id, list(case_ids)))
    return ranked.subquery()


def status_at(session: Session, end: date, case_ids: Iterable[int]) -> dict[int, tuple[CaseStatus, date]]:
    """The status each case had at the end of ``end`` and the day it got it."""
    found: dict[int, tuple[CaseStatus, date]] = {}
    for chunk in chunks(case_ids):
        latest = latest_status(end, chunk)
        rows = session.connection().execute(select(latest.c.case_id, latest.c.to_status, latest.c.occurred_on)
                                            .where(latest.c.rn == 1))
        found.update({case_id: (status, day) for case_id, status, day in rows})
    return found


def among(column: ColumnElement[int] | InstrumentedAttribute[int], ids: list[int]) -> ColumnElement[bool]:
    """``column IN (1, 2, …)`` with the ids written into the statement.

    Thousands of bound parameters cost SQLAlchemy more to prepare than the
    query takes to run; these are integers the register itself returned,
    so writing them out is safe.
    """
    listed = ",".join(str(int(i)) for i in ids) or "NULL"
    return column.op("IN")(literal_column(f"({listed})"))


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def mediators_at(session: Session, end: date, case_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """The mediators on each case at the end of the period: every assignment not recused by then."""
    after_end = datetime.combine(end + timedelta(days=1), datetime.min.time())
    found: dict[int, list[tuple[int, str]]] = {}
    for chunk in chunks(case_ids):
        stmt = (select(Assignment.case_id, Mediator.id, Mediator.name)
                .join(Mediator, Mediator.id == Assignment.mediator_id)
                .where(among(Assignment.case_id, chunk),
                       or_(Assignment.recused_at.is_(None), Assignment.recused_at >= after_end))
                .order_by(Assignment.case_id, Assignment.id))
        for case_id, mediator_id, name in session.connection().execute(stmt):
            found.setdefault(case_id, []).append((mediator_id, name))
    return found
