"""Two people saving the same case: the second save is told, never silently lost, on SQLite and PostgreSQL.

``test_workflow.py`` and ``test_case_edit.py`` cover a stale ``expected_version``
passed to a service. Here: the ORM's own version column (a stale copy
saved later), two PCs racing through the service at the same moment, and
two units of work interleaved inside the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from wuye_desktop.errors import ConflictError
from wuye_desktop.models import MediationCase
from wuye_desktop.services import cases
from wuye_desktop.services.cases import editing as case_edit
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.cases.editing import CaseEdit
from wuye_desktop.services.context import Context
from wuye_desktop.storage.engine import Database


def _new_case(ctx: Context) -> int:
    return cases.register(ctx, CaseDraft(summary="楼道堆放杂物", parties=[PartyInput("赵一")])).id


def _summary(db: Database, case_id: int) -> tuple[str, int]:
    with db.reading() as session:
        case = session.get(MediationCase, case_id)
        assert case is not None
        return case.summary, case.version


@pytest.fixture
def second_pc(db_url: str | None, data_dir: Path) -> Iterator[Database]:
    """The same register opened by another program (its own engine and connections)."""
    other = Database.open(data_dir=str(data_dir), db_url=db_url)
    yield other
    other.dispose()


def test_a_stale_copy_saved_through_the_orm_is_a_conflict(ctx: Context, second_pc: Database) -> None:
    case_id = _new_case(ctx)
    with ctx.db.reading() as session:  # window A shows the case ...
        stale = session.scalars(select(MediationCase).where(MediationCase.id == case_id)).one()
    with second_pc.writing() as session:  # ... another PC saves it ...
        fresh = session.get(MediationCase, case_id)
        assert fresh is not None
        fresh.summary = "另一台电脑改的案情"

    stale.summary = "窗口A改的案情"  # ... and window A saves its old copy
    with pytest.raises(ConflictError) as conflict, ctx.db.writing() as session:
        session.add(stale)
    assert "其他人修改" in conflict.value.message
    assert _summary(ctx.db, case_id) == ("另一台电脑改的案情", 2)


def test_two_pcs_saving_the_same_case_at_the_same_moment_one_wins_the_other_is_told(
    ctx: Context, second_pc: Database
) -> None:
    pcs = [ctx, Context(second_pc, ctx.user, today_override=ctx.today_override)]
    for _round in range(8):
        case_id = _new_case(ctx)
        version = cases.get(ctx, case_id).version
        start = threading.Barrier(2)

        def save(pc: Context, text: str, case_id: int = case_id, version: int = version,
                 start: threading.Barrier = start) -> str:
            start.wait()
            try:
                case_edit.update_case(pc, case_id, CaseEdit(summary=text), version)
            except ConflictError:
                return "conflict"
            return text

        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(save, pcs, ["甲的修改", "乙的修改"]))
        assert outcomes.count("conflict") == 1, outcomes
        winner = next(o for o in outcomes if o != "conflict")
        assert _summary(ctx.db, case_id) == (winner, version + 1)


def test_two_units_of_work_interleaved_inside_the_database_never_lose_a_save(
    ctx: Context, second_pc: Database, backend: str
) -> None:
    """PostgreSQL lets both read the row and then refuses the second UPDATE through the version column;
    SQLite makes the second wait for the first (``BEGIN IMMEDIATE``) and then read the first's save."""
    case_id = _new_case(ctx)
    a_loaded, b_done = threading.Event(), threading.Event()
    b_started = threading.Event()
    seen_by_b: list[str] = []

    def pc_b() -> None:
        assert a_loaded.wait(10)
        b_started.set()
        with second_pc.writing() as session:
            case = session.get(MediationCase, case_id)
            assert case is not None
            seen_by_b.append(case.summary)
            case.summary = "乙的修改"
        b_done.set()

    with ThreadPoolExecutor(1) as pool:
        b = pool.submit(pc_b)
        if backend == "postgresql":
            with pytest.raises(ConflictError), ctx.db.writing() as session:
                case = session.get(MediationCase, case_id)
                assert case is not None
                a_loaded.set()
                assert b_done.wait(10), "on a server B can save while A is still working"
                case.summary = "甲的修改"
            b.result()
            assert seen_by_b == ["楼道堆放杂物"]
            assert _summary(ctx.db, case_id) == ("乙的修改", 2)
        else:
            with ctx.db.writing() as session:
                case = session.get(MediationCase, case_id)
                assert case is not None
                a_loaded.set()
                assert b_started.wait(10)
                case.summary = "甲的修改"
            b.result()
            assert seen_by_b == ["甲的修改"], "B waited and then worked on A's save, not on a stale copy"
            assert _summary(ctx.db, case_id) == ("乙的修改", 3)
