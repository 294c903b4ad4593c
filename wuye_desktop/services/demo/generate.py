"""Fill a register with realistic cases in every state, in committed batches.

Each batch is one transaction: a demo that is killed half way leaves a
smaller register, never a broken one. Rows are written with bulk inserts
and ids handed out here, which is what makes 100,000 cases take a minute.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wuye_desktop.models import (
    Agreement,
    AgreementClause,
    AgreementKind,
    AgreementStatus,
    Assignment,
    AssignmentRole,
    CaseEvent,
    CaseParty,
    CaseSearchText,
    CaseSource,
    CaseStatus,
    ChosenBy,
    Committee,
    ConsultationStep,
    DisputeSubtype,
    JudicialStatus,
    MediationCase,
    NumberSequence,
    OfficialType,
    Party,
    PartyKind,
    PartyRole,
    Performance,
    ReturnVisit,
    RiskColour,
    Satisfaction,
    StepForm,
    StepTemplate,
)
from wuye_desktop.services import audit, settings
from wuye_desktop.services.cases import numbering, search
from wuye_desktop.services.context import Context
from wuye_desktop.services.demo import content
from wuye_desktop.services.demo.people import mobile, person_name, resident_id
from wuye_desktop.services.demo.places import Places, ensure_places
from wuye_desktop.services.permissions import Permission, requires

Progress = Callable[[int, int], None]

# Parties the respondent is the property company for; the rest are between neighbours.
_AGAINST_COMPANY = {"物业服务质量", "物业费/收费", "开发商遗留问题", "占用消防通道", "停车难",
                    "管线改造", "公共收益", "维修资金", "物业选聘与交接"}
_SOURCES = ((CaseSource.HOTLINE, 34), (CaseSource.APPLICATION, 30), (CaseSource.INITIATIVE, 10),
            (CaseSource.GRID, 8), (CaseSource.PARTY_BRANCH, 7), (CaseSource.PETITION, 5),
            (CaseSource.ENTRUSTED, 4), (CaseSource.DEPARTMENT, 2))
_OTHER_TYPES = (OfficialType.CONTRACT, OfficialType.DAMAGES, OfficialType.MARRIAGE_FAMILY,
                OfficialType.CONSUMER, OfficialType.HOUSING_LAND, OfficialType.OTHER)
_RISKS = ((RiskColour.YELLOW, 60), (RiskColour.BLUE, 20), (RiskColour.ORANGE, 15), (RiskColour.RED, 5))
DEMO_USER = "演示数据"


@dataclass(frozen=True)
class DemoReport:
    cases: int
    seconds: float
    first_number: str
    last_number: str


@dataclass
class _Batch:
    """Rows of one batch, by table, ready for bulk insert."""

    rows: dict[type, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type, **values: Any) -> None:
        self.rows.setdefault(model, []).append(values)


@requires(Permission.DEMO)
def generate(ctx: Context, cases: int, seed: int = 1, batch_size: int = 2000,
             progress: Progress | None = None) -> DemoReport:
    started = time.perf_counter()
    rng = random.Random(seed)
    places = ensure_places(ctx, rng)
    today = ctx.today()
    # Recent months are busier, as a room's register grows: the density falls
    # linearly from today to nothing two years back.
    days_back = sorted((int(730 * (1 - rng.random() ** 0.5)) for _ in range(cases)), reverse=True)
    writer = _Writer(ctx, rng, places, today)
    first = last = ""
    for start in range(0, cases, batch_size):
        chunk = [today - timedelta(days=d) for d in days_back[start:start + batch_size]]
        with ctx.db.writing() as session:
            numbers = writer.write_batch(session, chunk)
            audit.record(session, DEMO_USER, "demo", "case", "",
                         {"cases": len(chunk), "from": numbers[0], "to": numbers[-1]})
        first = first or numbers[0]
        last = numbers[-1]
        if progress is not None:
            progress(min(start + batch_size, cases), cases)
    return DemoReport(cases, time.perf_counter() - started, first, last)


class _Writer:
    def __init__(self, ctx: Context, rng: random.Random, places: Places, today: date) -> None:
        self.ctx, self.rng, self.places, self.today = ctx, rng, places, today
        # Parties who come back with a new dispute, with their search words (anyone's, personal).
        self.repeaters: list[tuple[int, str, tuple[list[str], list[str]]]] = []
        # Concluding statuses already left un-archived once: most concluded cases are filed within
        # days, so without this a demo can lack a 不予受理, 已转办 or 调解终止 case altogether.
        self.left_open: set[CaseStatus] = set()

    # -- one batch ---------------------------------------------------------------

    def write_batch(self, session: Session, dates: list[date]) -> list[str]:
        self.session = session
        self.batch = _Batch()
        self.next_id = {m: (session.scalar(select(func.max(m.id))) or 0) + 1
                        for m in (MediationCase, Party, Agreement)}
        committee = session.get_one(Committee, self.places.committee_id)
        self.committee = committee
        self.formats = {k: settings.read(session, settings.CASE_NUMBER_FORMAT if k == numbering.CASE
                                         else settings.AGREEMENT_NUMBER_FORMAT)
                        for k in (numbering.CASE, numbering.AGREEMENT)}
        self.counters: dict[tuple[str, int], int] = {}
        self.subtypes = dict(session.execute(select(DisputeSubtype.name, DisputeSubtype.id)).all())
        self.steps = list(session.scalars(select(StepTemplate.name).where(StepTemplate.active.is_(True))
                                          .order_by(StepTemplate.position)))
        first_case = self.next_id[MediationCase]
        numbers = [self._case(day) for day in dates]
        for model in (Party, MediationCase, CaseParty, CaseEvent, Assignment, ConsultationStep,
                      Agreement, AgreementClause, ReturnVisit, CaseSearchText):
            rows = self.batch.rows.get(model)
            if rows:
                session.execute(insert(model), rows)
        self._store_counters()
        self._advance_id_sequences()
        search.index_range(session, first_case, self.next_id[MediationCase] - 1)
        return numbers

    def _advance_id_sequences(self) -> None:
        """PostgreSQL: ids were given here, so move the tables' sequences past them for later inserts."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for model in self.next_id:
            table = model.__tablename__
            self.session.execute(sql_text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))

    def _take(self, kind: str, year: int) -> tuple[int, str]:
        key = (kind, year)
        if key not in self.counters:
            self.counters[key] = numbering.last_given(self.session, self.committee.id, kind, year)
        self.counters[key] += 1
        seq = self.counters[key]
        return seq, numbering.format_number(self.formats[kind], year, self.committee.short_name, seq)

    def _store_counters(self) -> None:
        dialect = self.session.get_bind().dialect.name
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for (kind, year), value in self.counters.items():
            stmt = upsert(NumberSequence).values(committee_id=self.committee.id, kind=kind, year=year,
                                                 last_value=value)
            self.session.execute(stmt.on_conflict_do_update(
                index_elements=["committee_id", "kind", "year"], set_={"last_value": value}))

    def _new_id(self, model: type[MediationCase] | type[Party] | type[Agreement]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    # -- one case ------------------------------------------------------------------

    def _case(self, registered: date) -> str:
        rng, places = self.rng, self.places
        estate = rng.choices(places.estates, weights=[e.weight for e in places.estates])[0]
        building_id, building_name = rng.choice(estate.buildings)
        subtype = rng.choice(list(content.SUBTYPE_STORIES))
        official = OfficialType.NEIGHBOUR if subtype == "邻里纠纷" else OfficialType.PROPERTY
        if rng.random() < 0.05:
            official = rng.choice(_OTHER_TYPES)
        case_id = self._new_id(MediationCase)
        seq, number = self._take(numbering.CASE, registered.year)
        source = rng.choices([s for s, _ in _SOURCES], weights=[w for _, w in _SOURCES])[0]
        source_ref = (f"GD{registered:%Y%m%d}{rng.randrange(100000):05d}" if source is CaseSource.HOTLINE
                      else f"XF{registered:%Y}{rng.randrange(10000):04d}" if source is CaseSource.PETITION else "")

        applicant_id, applicant_name, applicant_text = self._person(estate.name, building_id, building_name)
        if subtype in _AGAINST_COMPANY and estate.company_party_id is not None:
            respondent_id, respondent_name = estate.company_party_id, estate.company_name
            respondent_text: tuple[list[str], list[str]] = ([estate.company_name], [])
        else:
            respondent_id, respondent_name, respondent_text = self._person(estate.name, building_id, building_name)
        summary_t, facts_t, clauses, money = content.SUBTYPE_STORIES[subtype]
        words = {"a": applicant_name, "b": respondent_name, "estate": estate.name,
                 "building": f"{estate.name}{building_name}"}
        summary = summary_t.format(**words)
        facts = facts_t.format(**words)
        amount = Decimal(rng.randrange(*money)) if money and rng.random() < 0.8 else None

        outcome = self._timeline(registered)
        status = outcome["status"]
        self.batch.add(
            MediationCase, id=case_id, committee_id=self.committee.id, number=number,
            year=registered.year, seq=seq, source=source, source_ref=source_ref, official_type=official,
            subtype_id=self.subtypes.get(subtype), estate_id=estate.id, building_id=building_id,
            property_company_id=estate.company_id, summary=summary, facts=facts,
            risk=rng.choices([r for r, _ in _RISKS], weights=[w for _, w in _RISKS])[0],
            status=status, registered_on=registered, accepted_on=outcome.get("accepted"),
            deadline=outcome["accepted"] + timedelta(days=30) if outcome.get("accepted") else None,
            concluded_on=outcome.get("concluded"), closed_on=outcome.get("closed"),
            amount=amount, people_count=rng.choice((2, 2, 2, 3, 4, 6, 12)),
            registrar=rng.choice(("王晓燕", "赵敏", "何静")),
            refusal_reason="被申请人明确拒绝调解" if status is CaseStatus.REFUSED else "",
            termination_reason="双方分歧较大，经多次调解未能达成一致，已告知当事人可依法向人民法院起诉"
            if outcome.get("terminated") else "",
            referred_to=rng.choice(content.DEPARTMENTS) if outcome.get("referred") else "",
            prevented_criminal=rng.random() < 0.01, prevented_group_petition=rng.random() < 0.01,
        )
        self.batch.add(CaseParty, case_id=case_id, party_id=applicant_id, role=PartyRole.APPLICANT, position=0)
        self.batch.add(CaseParty, case_id=case_id, party_id=respondent_id, role=PartyRole.RESPONDENT, position=1)
        self._events(case_id, registered, outcome)
        mediators = self._assign(case_id, outcome)
        self._steps(case_id, outcome)
        if outcome.get("agreed"):
            self._agreement(case_id, outcome, facts, clauses, amount, mediators)
        found_by = search.text_of(
            [number, source_ref, summary, facts, *applicant_text[0], *respondent_text[0],
             estate.name, building_name, estate.company_name], applicant_text[1] + respondent_text[1])
        self.batch.add(CaseSearchText, case_id=case_id, body=found_by.body, personal=found_by.personal)
        return number

    def _person(self, estate: str, building_id: int, building: str) -> tuple[int, str, tuple[list[str], list[str]]]:
        rng = self.rng
        if self.repeaters and rng.random() < 0.08:
            return rng.choice(self.repeaters)
        party_id = self._new_id(Party)
        name = person_name(rng)
        id_number, birth, gender = resident_id(rng, self.today) if rng.random() < 0.75 else ("", None, "")
        phone = mobile(rng)
        room = f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
        address = f"{content.STREET}{estate}{building}{room}"
        self.batch.add(
            Party, id=party_id, kind=PartyKind.PERSON, name=name, gender=gender or rng.choice("男女"),
            ethnicity=rng.choice(content.ETHNICITIES), birth_date=birth,
            age=None if birth else rng.randint(25, 80), occupation=rng.choice(content.OCCUPATIONS),
            phone=phone, id_number=id_number, address=address, building_id=building_id, room=room,
        )
        text = search.party_parts(True, name, phone, id_number, address, "", "", "")
        if rng.random() < 0.1:
            self.repeaters.append((party_id, name, text))
        return party_id, name, text

    def _timeline(self, registered: date) -> dict[str, Any]:
        """When each step happened; steps that would fall after today have not happened yet."""
        rng, today = self.rng, self.today
        out: dict[str, Any] = {"status": CaseStatus.REGISTERED}
        if rng.random() < 0.03:
            refused = registered + timedelta(days=rng.randint(0, 3))
            if refused <= today:
                out.update(status=CaseStatus.REFUSED, concluded=refused, refused=refused)
                self._maybe_close(out, refused, 5)
            return out
        accepted = registered + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        if accepted > today:
            return out
        out.update(status=CaseStatus.ACCEPTED, accepted=accepted)
        if rng.random() < 0.06:
            referred = accepted + timedelta(days=rng.randint(1, 5))
            if referred <= today:
                out.update(status=CaseStatus.REFERRED, concluded=referred, referred=referred)
                self._maybe_close(out, referred, 10)
            return out
        first_step = accepted + timedelta(days=rng.randint(0, 4))
        if first_step > today:
            return out
        out.update(status=CaseStatus.MEDIATING, first_step=first_step)
        concluded = first_step + timedelta(days=rng.randint(2, 40))
        if concluded > today:
            return out
        if rng.random() < 0.13:
            out.update(status=CaseStatus.TERMINATED, concluded=concluded, terminated=concluded)
            self._maybe_close(out, concluded, 15)
            return out
        out.update(status=CaseStatus.AGREED, concluded=concluded, agreed=concluded)
        visit = concluded + timedelta(days=rng.randint(7, 30))
        if visit <= today and rng.random() < 0.85:
            out["visit"] = visit
            self._maybe_close(out, visit, 10)
        return out

    def _maybe_close(self, out: dict[str, Any], after: date, within: int) -> None:
        if out["status"] not in self.left_open:  # the first of each outcome waits to be filed
            self.left_open.add(out["status"])
            return
        closed = after + timedelta(days=self.rng.randint(1, within))
        if closed <= self.today:
            out.update(status=CaseStatus.CLOSED, closed=closed)

    def _events(self, case_id: int, registered: date, outcome: dict[str, Any]) -> None:
        chain: list[tuple[str, CaseStatus | None, CaseStatus, date]] = [
            ("register", None, CaseStatus.REGISTERED, registered)]
        state = CaseStatus.REGISTERED
        for key, action, target in (("refused", "refuse", CaseStatus.REFUSED),
                                    ("accepted", "accept", CaseStatus.ACCEPTED),
                                    ("referred", "refer", CaseStatus.REFERRED),
                                    ("first_step", "start", CaseStatus.MEDIATING),
                                    ("terminated", "terminate", CaseStatus.TERMINATED),
                                    ("agreed", "agree", CaseStatus.AGREED),
                                    ("closed", "close", CaseStatus.CLOSED)):
            if key in outcome:
                chain.append((action, state, target, outcome[key]))
                state = target
        for action, before, after, day in chain:
            self.batch.add(CaseEvent, case_id=case_id, action=action, from_status=before, to_status=after,
                           occurred_on=day, recorded_at=datetime.combine(day, dtime(9, 30)), actor=DEMO_USER)

    def _assign(self, case_id: int, outcome: dict[str, Any]) -> list[str]:
        if "accepted" not in outcome:
            return []
        rng = self.rng
        chosen = rng.sample(self.places.mediators, 2 if rng.random() < 0.3 else 1)
        at = datetime.combine(outcome["accepted"], dtime(10, 0))
        for index, (mediator_id, _name) in enumerate(chosen):
            self.batch.add(Assignment, case_id=case_id, mediator_id=mediator_id,
                           role=AssignmentRole.LEAD if index == 0 else AssignmentRole.ASSISTANT,
                           chosen_by=ChosenBy.PARTY if rng.random() < 0.1 else ChosenBy.COMMITTEE,
                           assigned_at=at)
        return [name for _id, name in chosen]

    def _steps(self, case_id: int, outcome: dict[str, Any]) -> None:
        if "first_step" not in outcome:
            return
        rng = self.rng
        start = outcome["first_step"]
        end = outcome.get("concluded", self.today)
        count = rng.randint(1, len(self.steps)) if "concluded" in outcome else rng.randint(1, 3)
        span = max((end - start).days, 0)
        for position in range(1, count + 1):
            day = start + timedelta(days=span * (position - 1) // max(count, 1))
            form = rng.choice(list(StepForm))
            expected = rng.randint(3, 12)
            self.batch.add(
                ConsultationStep, case_id=case_id, step_name=self.steps[position - 1], position=position,
                held_at=datetime.combine(day, dtime(rng.choice((9, 10, 14, 15, 19)), 0)), form=form,
                place="社区党群服务中心调解室" if form is StepForm.MEETING else "",
                expected_count=expected, present_count=expected - rng.randint(0, 2),
                participants="双方当事人、调解员、物业代表、楼栋长", content="听取双方意见，核实现场情况",
                decision="形成初步处理意见" if position > 1 else "", publicity="在楼栋公示栏公示",
                supervision="", recorder="何静",
            )

    def _agreement(self, case_id: int, outcome: dict[str, Any], facts: str, clauses: tuple[str, ...],
                   amount: Decimal | None, mediators: list[str]) -> None:
        rng = self.rng
        signed: date = outcome["agreed"]
        agreement_id = self._new_id(Agreement)
        seq, number = self._take(numbering.AGREEMENT, signed.year)
        judicial_deadline = signed + timedelta(days=30)
        applied = rng.random() < 0.12 and judicial_deadline <= self.today
        self.batch.add(
            Agreement, id=agreement_id, case_id=case_id, committee_id=self.committee.id,
            kind=AgreementKind.ORAL if rng.random() < 0.1 else AgreementKind.WRITTEN,
            status=AgreementStatus.SIGNED, number=number, year=signed.year, seq=seq, facts=facts,
            performance="双方按协议约定自行履行，调委会负责回访", amount=amount,
            performance_deadline=signed + timedelta(days=rng.choice((3, 7, 15, 30))), copies=3,
            mediator_names="、".join(mediators), recorder="何静", signed_on=signed,
            signed_at=datetime.combine(signed, dtime(16, 0)), judicial_deadline=judicial_deadline,
            judicial_status=rng.choice((JudicialStatus.APPLIED, JudicialStatus.CONFIRMED)) if applied
            else JudicialStatus.NOT_APPLIED,
            judicial_applied_on=signed + timedelta(days=rng.randint(1, 29)) if applied else None,
        )
        for position, text in enumerate(clauses, 1):
            self.batch.add(AgreementClause, agreement_id=agreement_id, position=position, text=text)
        if "visit" in outcome:
            performed = rng.choices(list(Performance), weights=(85, 10, 5))[0]
            self.batch.add(
                ReturnVisit, case_id=case_id, agreement_id=agreement_id, visited_on=outcome["visit"],
                visitor=rng.choice(mediators), method=rng.choice(("电话", "上门")),
                performance=performed,
                satisfaction=rng.choices(list(Satisfaction), weights=(75, 20, 5))[0],
                lawsuit=performed is Performance.NOT_PERFORMED and rng.random() < 0.3,
                measures="" if performed is Performance.PERFORMED else "督促当事人继续履行",
            )


__all__ = ["DemoReport", "generate"]
