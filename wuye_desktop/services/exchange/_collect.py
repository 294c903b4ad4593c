"""Collecting a room's cases of one period, with everything hanging off them, for the exchange file.

A case travels when anything of it falls in the period: it was open at some
point of it (registered by its end, not closed before its start), or an
event, step, agreement or return visit is dated in it. The whole case goes,
history included, so the county's figures for the period are the room's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, Table, and_, or_, select
from sqlalchemy.orm import Session

from wuye_desktop.models import (
    Agreement,
    CaseEvent,
    CaseParty,
    Committee,
    ConsultationStep,
    MediationCase,
    ReturnVisit,
)
from wuye_desktop.services.exchange import rows
from wuye_desktop.services.exchange.privacy import Scrubber


def cases_in_period(committee_id: int, start: date, end: date) -> Select[int]:
    """The ids of the committee's cases with anything in [start, end]."""
    c = MediationCase
    first, after = datetime.combine(start, time.min), datetime.combine(end, time.max)
    active = and_(c.registered_on <= end, or_(c.closed_on.is_(None), c.closed_on >= start))
    dated = or_(
        c.id.in_(select(CaseEvent.case_id).where(CaseEvent.occurred_on.between(start, end))),
        c.id.in_(select(ReturnVisit.case_id).where(ReturnVisit.visited_on.between(start, end))),
        c.id.in_(select(Agreement.case_id).where(or_(Agreement.signed_on.between(start, end),
                                                     Agreement.judicial_applied_on.between(start, end)))),
        c.id.in_(select(ConsultationStep.case_id).where(ConsultationStep.held_at.between(first, after))),
    )
    return select(c.id).where(c.committee_id == committee_id, or_(active, dated))


def collect(session: Session, committee: Committee, case_ids: Select[int],
            scrubber: Scrubber) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows for those cases, references as uids, personal data scrubbed."""
    fetched: dict[str, list[Any]] = {}
    case_table = rows.CASE_TABLE
    fetched["mediation_case"] = _all(session, case_table, case_table.c.id.in_(case_ids))
    agreement_ids = select(Agreement.id).where(Agreement.case_id.in_(case_ids))
    for table in (*rows.CHILD_TABLES, rows.EVENT_TABLE):
        if table.name == "agreement_clause":
            fetched[table.name] = _all(session, table, table.c.agreement_id.in_(agreement_ids))
        else:
            fetched[table.name] = _all(session, table, table.c.case_id.in_(case_ids))
    party_ids = select(CaseParty.party_id).where(CaseParty.case_id.in_(case_ids))
    for table in rows.REFERENCE_TABLES:
        where = {
            "committee": table.c.id == committee.id,
            "party": table.c.id.in_(party_ids),
        }.get(table.name)
        fetched[table.name] = _all(session, table, where)

    uids = {name: {r.id: r.uid for r in found} for name, found in fetched.items() if name != "case_event"}
    # Place, company, subtype and mediator lists go whole: they are short and the county reports by them.
    dumped = {name: [rows.dump(_table(name), r, uids) for r in found] for name, found in fetched.items()}
    return _scrub(dumped, fetched, scrubber)


def _all(session: Session, table: Table, where: Any) -> list[Any]:
    stmt = select(table).order_by(table.c.id)
    if where is not None:
        stmt = stmt.where(where)
    return list(session.execute(stmt))


def _table(name: str) -> Table:
    return next(t for t in rows.ALL_TABLES if t.name == name)


def _scrub(dumped: dict[str, list[dict[str, Any]]], fetched: dict[str, list[Any]],
           scrubber: Scrubber) -> dict[str, list[dict[str, Any]]]:
    party_names = {r.id: r.name for r in fetched["party"] if r.kind == "person"}
    case_uid = {r.id: r.uid for r in fetched["mediation_case"]}
    names: dict[str, list[str]] = defaultdict(list)  # case uid -> names to take out of its text
    for link in fetched["case_party"]:
        names[case_uid[link.case_id]] += [party_names.get(link.party_id, ""), link.agent_name]
    replace = {uid: scrubber.replacements(found) for uid, found in names.items()}
    agreement_case = {r.uid: case_uid[r.case_id] for r in fetched["agreement"]}

    out = dict(dumped)
    out["party"] = [scrubber.party(r) for r in dumped["party"]]
    out["mediator"] = [scrubber.mediator(r) for r in dumped["mediator"]]
    out["case_party"] = [dict(r, agent_name=scrubber.agent(r["agent_name"]), snapshot=scrubber.snapshot(r["snapshot"]))
                         for r in dumped["case_party"]]
    out["mediation_case"] = [scrubber.row_text("mediation_case", r, replace.get(r["uid"], {}))
                             for r in dumped["mediation_case"]]
    for table in ("assignment", "consultation_step", "mediation_record", "agreement", "return_visit", "case_event"):
        out[table] = [scrubber.row_text(table, r, replace.get(r["case_id"], {})) for r in dumped[table]]
    out["agreement_clause"] = [
        scrubber.row_text("agreement_clause", r, replace.get(agreement_case[r["agreement_id"]], {}))
        for r in dumped["agreement_clause"]]
    return out

