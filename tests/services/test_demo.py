"""The demo register a room is shown on day one: believable, complete, and valid by the register's own rules."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import TODAY, register_case
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from wuye_desktop.models import (
    Agreement,
    AgreementStatus,
    CaseEvent,
    CaseParty,
    CaseStatus,
    MediationCase,
    NumberSequence,
    Party,
    PartyKind,
    PropertyCompany,
)
from wuye_desktop.services import audit, demo, validation
from wuye_desktop.services.cases import numbering
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register

CASES = 400
SEED = 5


@pytest.fixture
def demo_ctx(ctx: Context) -> Context:
    report = demo.generate(ctx, CASES, seed=SEED)
    assert report.cases == CASES
    return ctx


@pytest.fixture
def second_ctx(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Context]:
    """Another fresh, empty register on the same kind of database."""
    if backend == "sqlite":
        db = open_register(data_dir=str(tmp_path / "second"))
        yield Context(db, User("王晓燕"), today_override=TODAY)
        db.dispose()
        return
    template = request.getfixturevalue("pg_template")
    admin_url = make_url(os.environ["WUYE_TEST_PG_URL"])
    name = f"wuye_demo2_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    db = open_register(data_dir=str(tmp_path / "second"),
                       db_url=admin_url.set(database=name).render_as_string(hide_password=False))
    yield Context(db, User("王晓燕"), today_override=TODAY)
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def rows(ctx: Context, stmt):  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return session.execute(stmt).all()


def test_demo_has_cases_in_every_status(demo_ctx: Context) -> None:
    counts = dict(rows(demo_ctx, select(MediationCase.status, func.count()).group_by(MediationCase.status)))
    assert set(counts) == set(CaseStatus), counts
    assert sum(counts.values()) == CASES


def test_demo_numbers_are_gap_free_per_year(demo_ctx: Context) -> None:
    committee_short = rows(demo_ctx, text("SELECT short_name FROM committee"))[0][0]
    last = {(kind, year): value for kind, year, value in rows(
        demo_ctx, select(NumberSequence.kind, NumberSequence.year, NumberSequence.last_value))}
    for kind, model in ((numbering.CASE, MediationCase), (numbering.AGREEMENT, Agreement)):
        by_year: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for year, seq, number in rows(demo_ctx, select(model.year, model.seq, model.number)
                                      .where(model.number.is_not(None))):
            by_year[year].append((seq, number))
        assert by_year, kind
        for year, taken in by_year.items():
            assert sorted(s for s, _n in taken) == list(range(1, last[(kind, year)] + 1)), (kind, year)
            word = "调字" if kind == numbering.CASE else "调协字"
            assert all(n == f"（{year}）{committee_short}{word}第{s}号" for s, n in taken)


def test_a_case_registered_after_the_demo_continues_the_sequence(demo_ctx: Context) -> None:
    last_2026 = rows(demo_ctx, select(func.max(MediationCase.seq)).where(MediationCase.year == 2026))[0][0]
    number = register_case(demo_ctx).number
    assert number.endswith(f"调字第{last_2026 + 1}号")


def test_demo_id_numbers_and_credit_codes_pass_the_register_checks(demo_ctx: Context) -> None:
    parties = rows(demo_ctx, select(Party.kind, Party.name, Party.id_number).where(Party.id_number != ""))
    people = [(name, number) for kind, name, number in parties if kind is PartyKind.PERSON]
    companies = [number for kind, _name, number in parties if kind is not PartyKind.PERSON]
    companies += [code for (code,) in rows(demo_ctx, select(PropertyCompany.credit_code)) if code]
    assert len(people) > 100 and len(companies) >= 6
    for name, number in people:
        assert validation.resident_id(number, today=TODAY) == number, name
    for code in companies:
        assert validation.credit_code(code) == code


def test_demo_agreements_only_on_agreed_or_closed_cases(demo_ctx: Context) -> None:
    found = rows(demo_ctx, select(MediationCase.status, Agreement.status, Agreement.copies,
                                  select(func.count()).where(CaseParty.case_id == MediationCase.id)
                                  .scalar_subquery())
                 .join(Agreement, Agreement.case_id == MediationCase.id))
    assert found
    for case_status, agreement_status, copies, parties in found:
        assert case_status in (CaseStatus.AGREED, CaseStatus.CLOSED)
        assert agreement_status is AgreementStatus.SIGNED
        assert copies == parties + 1
    agreed_without = rows(demo_ctx, select(func.count()).select_from(MediationCase).where(
        MediationCase.status == CaseStatus.AGREED,
        ~select(Agreement.id).where(Agreement.case_id == MediationCase.id).exists()))[0][0]
    assert agreed_without == 0, "every 达成协议 case has its agreement"


def test_demo_history_ends_in_each_case_status(demo_ctx: Context) -> None:
    last_to: dict[int, CaseStatus | None] = {}
    for case_id, to in rows(demo_ctx, select(CaseEvent.case_id, CaseEvent.to_status).order_by(CaseEvent.id)):
        last_to[case_id] = to
    statuses = dict(rows(demo_ctx, select(MediationCase.id, MediationCase.status)))
    assert last_to == statuses, "the last event of every case brought it to its current status"


def test_demo_leaves_a_verifiable_audit_chain(demo_ctx: Context) -> None:
    assert audit.verify(demo_ctx.db).ok


def test_same_seed_gives_the_same_register(demo_ctx: Context, second_ctx: Context) -> None:
    demo.generate(second_ctx, CASES, seed=SEED)

    def summaries(ctx: Context) -> list[tuple[str, str, CaseStatus]]:
        return [tuple(r) for r in rows(ctx, select(MediationCase.number, MediationCase.summary,  # type: ignore[misc]
                                                   MediationCase.status).order_by(MediationCase.id))]

    assert summaries(second_ctx) == summaries(demo_ctx)
