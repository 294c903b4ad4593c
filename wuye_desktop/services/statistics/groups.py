"""The period's figures split by 物业 sub-type, estate, property company and mediator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wuye_desktop.models import CompanyGrade, DisputeSubtype, Estate, Mediator
from wuye_desktop.services.statistics._figures import CaseFacts, PeriodFacts, mediators_at
from wuye_desktop.services.statistics.grades import CompanyGradeRow

NO_SUBTYPE = "（未分类）"
NO_ESTATE = "（未登记小区）"
NO_COMPANY = "（未登记物业企业）"
NO_MEDIATOR = "（未指派调解员）"


def rate(succeeded: int, terminated: int) -> float | None:
    """成功率 = 调解成功 ÷ (调解成功 + 调解终止); nothing to show when neither happened."""
    concluded = succeeded + terminated
    return succeeded / concluded if concluded else None


@dataclass(frozen=True)
class GroupRow:
    key: int | None
    name: str
    registered: int
    accepted: int
    succeeded: int
    terminated: int
    mediating_at_end: int

    @property
    def success_rate(self) -> float | None:
        return rate(self.succeeded, self.terminated)


@dataclass(frozen=True)
class CompanyRow(GroupRow):
    grade: CompanyGrade | None = None  # computed from the rules; None for the "no company" row
    grade_disputes: int = 0
    grade_failed: int = 0
    recorded_grade: CompanyGrade | None = None


@dataclass(frozen=True)
class MediatorRow:
    key: int | None
    name: str
    cases: int  # accepted in the period
    concluded: int  # agreement or termination in the period
    succeeded: int
    terminated: int
    average_days: float | None  # acceptance to conclusion, over the cases concluded
    overdue: int  # in mediation at the end and past the deadline

    @property
    def success_rate(self) -> float | None:
        return rate(self.succeeded, self.terminated)


def _count(facts: PeriodFacts, ids: set[int], key: Callable[[CaseFacts], int | None]) -> Counter[int | None]:
    return Counter(key(facts.cases[i]) for i in ids)


def group_rows(facts: PeriodFacts, key: Callable[[CaseFacts], int | None], names: dict[int, str],
               missing: str, always: tuple[int, ...] = ()) -> list[GroupRow]:
    """The keys in ``always`` in that order, then every other key with anything counted, busiest first;
    the cases without a key last."""
    registered = _count(facts, facts.registered, key)
    accepted = _count(facts, facts.events["accept"], key)
    succeeded = _count(facts, facts.events["agree"], key)
    terminated = _count(facts, facts.events["terminate"], key)
    at_end = _count(facts, facts.open_at_end, key)
    seen = set(registered) | set(accepted) | set(succeeded) | set(terminated) | set(at_end)

    def row(k: int | None) -> GroupRow:
        name = missing if k is None else names.get(k, f"（编号{k}）")
        return GroupRow(k, name, registered[k], accepted[k], succeeded[k], terminated[k], at_end[k])

    others = sorted((row(k) for k in seen if k is not None and k not in always),
                    key=lambda r: (-r.registered, -r.accepted, -r.succeeded, r.name))
    return [row(k) for k in always] + others + ([row(None)] if None in seen else [])


def total_row(rows: list[GroupRow]) -> GroupRow:
    return GroupRow(None, "合计", sum(r.registered for r in rows), sum(r.accepted for r in rows),
                    sum(r.succeeded for r in rows), sum(r.terminated for r in rows),
                    sum(r.mediating_at_end for r in rows))


def subtype_rows(session: Session, facts: PeriodFacts) -> list[GroupRow]:
    """Every active sub-type in the administrator's order, used or not: the list is the form's rows."""
    listed = session.execute(select(DisputeSubtype.id, DisputeSubtype.name, DisputeSubtype.active)
                             .order_by(DisputeSubtype.position, DisputeSubtype.id)).all()
    names = {i: n for i, n, _active in listed}
    return group_rows(facts, lambda c: c.subtype_id, names, NO_SUBTYPE,
                      always=tuple(i for i, _n, active in listed if active))


def estate_rows(session: Session, facts: PeriodFacts) -> list[GroupRow]:
    names = dict(session.execute(select(Estate.id, Estate.name)).all())
    return group_rows(facts, lambda c: c.estate_id, names, NO_ESTATE)


def company_rows(facts: PeriodFacts, grades: dict[int, CompanyGradeRow]) -> list[CompanyRow]:
    names = {company_id: g.name for company_id, g in grades.items()}
    rows: list[CompanyRow] = []
    for row in group_rows(facts, lambda c: c.company_id, names, NO_COMPANY):
        g = grades.get(row.key) if row.key is not None else None
        rows.append(CompanyRow(
            row.key, row.name, row.registered, row.accepted, row.succeeded, row.terminated, row.mediating_at_end,
            grade=g.grade if g else None, grade_disputes=g.disputes if g else 0,
            grade_failed=g.failed if g else 0, recorded_grade=g.recorded_grade if g else None))
    return rows


def mediator_rows(session: Session, facts: PeriodFacts) -> list[MediatorRow]:
    """Each mediator's cases; a case with two mediators counts for both."""
    accepted, agreed, ended = facts.events["accept"], facts.events["agree"], facts.events["terminate"]
    relevant = accepted | agreed | ended | facts.open_at_end
    on_case = mediators_at(session, facts.period.end, relevant)
    names: dict[int | None, str] = {i: n for i, n in session.execute(
        select(Mediator.id, Mediator.name).where(Mediator.active.is_(True)).order_by(Mediator.id))}
    tallies: dict[int | None, Counter[str]] = {k: Counter() for k in names}
    days: dict[int | None, list[int]] = {}
    for case_id in relevant:
        people: list[tuple[int | None, str]] = [*on_case.get(case_id, [])] or [(None, NO_MEDIATOR)]
        for mediator_id, name in people:
            names.setdefault(mediator_id, name)
            tally = tallies.setdefault(mediator_id, Counter())
            tally["cases"] += case_id in accepted
            tally["succeeded"] += case_id in agreed
            tally["terminated"] += case_id in ended
            tally["concluded"] += case_id in agreed or case_id in ended
            tally["overdue"] += facts.overdue(case_id)
            accepted_on = facts.cases[case_id].accepted_on
            if case_id in facts.concluded_on and accepted_on is not None:
                days.setdefault(mediator_id, []).append(_days(accepted_on, facts.concluded_on[case_id]))
    rows = [
        MediatorRow(k, names[k], t["cases"], t["concluded"], t["succeeded"], t["terminated"],
                    sum(days[k]) / len(days[k]) if days.get(k) else None, t["overdue"])
        for k, t in tallies.items()
    ]
    rows.sort(key=lambda r: (r.key is None, -r.cases, -r.concluded, r.name))
    return rows


def _days(start: date, end: date) -> int:
    return (end - start).days
