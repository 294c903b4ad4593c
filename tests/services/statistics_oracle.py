"""The monthly figures recomputed from the database by another route than services/statistics*.

Raw SQL over the tables, and the status at a period's end found by
replaying each case's events in Python, so a mistake in the service's
queries cannot be repeated here. Definitions are the ones the workbook's
note rows state.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from wuye_desktop.services.context import Context


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class Figures:
    registered: set[int] = field(default_factory=set)
    events: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    open_at_end: set[int] = field(default_factory=set)
    overdue: set[int] = field(default_factory=set)
    agreements: list[tuple[str, Decimal]] = field(default_factory=list)
    judicial: int = 0
    visited: set[int] = field(default_factory=set)
    performed: set[int] = field(default_factory=set)
    cases: dict[int, dict[str, Any]] = field(default_factory=dict)  # every case of the register
    last_conclusion: dict[int, date] = field(default_factory=dict)

    def of(self, ids: set[int], key: str) -> Counter[Any]:
        return Counter(self.cases[i][key] for i in ids)

    def accepted_from(self, *sources: str) -> int:
        return sum(1 for i in self.events["accept"] if self.cases[i]["source"] in sources)

    def accepted_of_type(self, official: str) -> int:
        return sum(1 for i in self.events["accept"] if self.cases[i]["official_type"] == official)

    @property
    def rate(self) -> float | None:
        done = len(self.events["agree"]) + len(self.events["terminate"])
        return len(self.events["agree"]) / done if done else None

    def written(self) -> int:
        return sum(1 for kind, _a in self.agreements if kind == "written")

    def oral(self) -> int:
        return sum(1 for kind, _a in self.agreements if kind == "oral")

    def amount_wan(self) -> float:
        return float(sum((a for _k, a in self.agreements), Decimal(0)) / 10000)

    def prevented(self, flag: str) -> tuple[int, int]:
        hits = [self.cases[i] for i in self.registered if self.cases[i][flag]]
        return len(hits), sum(c["people_count"] for c in hits)

    def sweep(self) -> int:
        return sum(1 for i in self.registered if self.cases[i]["source"] == "initiative")


def figures(ctx: Context, start: date, end: date, committee_id: int | None = None) -> Figures:
    result = Figures()
    with ctx.db.reading() as session:
        conn = session.connection()
        for row in conn.execute(text(
                "SELECT id, committee_id, source, official_type, subtype_id, estate_id, property_company_id, "
                "people_count, prevented_criminal, prevented_suicide, prevented_group_petition, "
                "prevented_group_fight, accepted_on, deadline, registered_on FROM mediation_case")).mappings():
            case = dict(row)
            for key in ("accepted_on", "deadline", "registered_on"):
                case[key] = _day(case[key])
            for key in ("prevented_criminal", "prevented_suicide", "prevented_group_petition",
                        "prevented_group_fight"):
                case[key] = bool(case[key])
            result.cases[case["id"]] = case
        mine = {i for i, c in result.cases.items() if committee_id is None or c["committee_id"] == committee_id}
        result.registered = {i for i in mine if start <= result.cases[i]["registered_on"] <= end}
        history: dict[int, list[tuple[int, str | None, date]]] = defaultdict(list)
        for case_id, event_id, action, to_status, occurred in conn.execute(text(
                "SELECT case_id, id, action, to_status, occurred_on FROM case_event")):
            day = _day(occurred)
            assert day is not None
            history[case_id].append((event_id, to_status, day))
            if case_id in mine and start <= day <= end:
                result.events[action].add(case_id)
                if action in ("agree", "terminate"):
                    result.last_conclusion[case_id] = max(result.last_conclusion.get(case_id, day), day)
        reference = min(end, ctx.today())
        for case_id in mine:
            changes = sorted((e for e in history[case_id] if e[1] is not None and e[2] <= end), key=lambda e: e[0])
            if changes and changes[-1][1] in ("accepted", "mediating"):
                result.open_at_end.add(case_id)
                deadline = result.cases[case_id]["deadline"]
                if deadline is not None and deadline < reference:
                    result.overdue.add(case_id)
        for case_id, kind, amount, signed_on, applied_on in conn.execute(text(
                "SELECT case_id, kind, amount, signed_on, judicial_applied_on FROM agreement WHERE status = 'signed'")):
            if case_id not in mine:
                continue
            if start <= _day(signed_on) <= end:  # type: ignore[operator]
                result.agreements.append((kind, Decimal(str(amount)) if amount is not None else Decimal(0)))
            applied = _day(applied_on)
            if applied is not None and start <= applied <= end:
                result.judicial += 1
        for case_id, visited_on, performance in conn.execute(text(
                "SELECT case_id, visited_on, performance FROM return_visit")):
            if case_id in mine and start <= _day(visited_on) <= end:  # type: ignore[operator]
                result.visited.add(case_id)
                if performance == "performed":
                    result.performed.add(case_id)
    return result


def active(f: Figures) -> set[int]:
    """The ledger's cases: registered in the period or with anything counted in it."""
    ids = set(f.registered)
    for found in f.events.values():
        ids |= found
    return ids


def mediators(ctx: Context, f: Figures, end: date) -> dict[str, dict[str, Any]]:
    """Per mediator name: the figures of the 调解员 sheet."""
    after = datetime.combine(end, datetime.max.time())
    on_case: dict[int, list[str]] = defaultdict(list)
    with ctx.db.reading() as session:
        for case_id, name, recused in session.connection().execute(text(
                "SELECT a.case_id, m.name, a.recused_at FROM assignment a JOIN mediator m ON m.id = a.mediator_id "
                "ORDER BY a.id")):
            recused_at = recused if recused is None or isinstance(recused, datetime) \
                else datetime.fromisoformat(str(recused))
            if recused_at is None or recused_at > after:
                on_case[case_id].append(name)
    relevant = f.events["accept"] | f.events["agree"] | f.events["terminate"] | f.open_at_end
    out: dict[str, dict[str, Any]] = defaultdict(lambda: Counter())  # type: ignore[arg-type]
    days: dict[str, list[int]] = defaultdict(list)
    for case_id in relevant:
        for name in on_case.get(case_id) or ["（未指派调解员）"]:
            tally = out[name]
            tally["cases"] += case_id in f.events["accept"]
            tally["succeeded"] += case_id in f.events["agree"]
            tally["terminated"] += case_id in f.events["terminate"]
            tally["concluded"] += case_id in f.events["agree"] or case_id in f.events["terminate"]
            tally["overdue"] += case_id in f.overdue
            accepted_on = f.cases[case_id]["accepted_on"]
            if case_id in f.last_conclusion and accepted_on is not None:
                days[name].append((f.last_conclusion[case_id] - accepted_on).days)
    for name, tally in out.items():
        tally["average_days"] = sum(days[name]) / len(days[name]) if days.get(name) else None
    return out
