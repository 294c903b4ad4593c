"""Several workstations on one PostgreSQL register at once: separate processes, as separate PCs would be.

Each process registers cases and edits one shared case while the others do
the same. Afterwards: case numbers are unique and gap-free, every stale save
was refused with a conflict instead of overwriting, and no edit was lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pg_throwaway import ThrowawayServer
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from wuye_desktop.models import CaseEvent, MediationCase
from wuye_desktop.services import cases
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register

TODAY = date(2026, 11, 20)
STATIONS = ("甲", "乙", "丙", "丁")
PER_STATION = 12

# One workstation: open the register, say it is ready, then
#   1. read the "duel" case and wait until every station has read it, then all save on that stale copy;
#   2. register cases and push the shared case's deadline on by a day, re-reading after a conflict.
_STATION = r"""
import sys, time
from datetime import date, timedelta
from pathlib import Path
from wuye_desktop.services import cases
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.errors import ConflictError
from wuye_desktop.services.safety.opening import open_register

url, data_dir, label, count, flags, duel_id, shared_id, stations = sys.argv[1:9]
db = open_register(data_dir=data_dir, db_url=url)
ctx = Context(db, User(f"{label}号机"), today_override=date(2026, 11, 20))
flags = Path(flags)

def wait_for(name):
    while not (flags / name).exists():
        time.sleep(0.002)

def everyone(stage):
    (flags / f"{stage}.{label}").touch()
    while len(list(flags.glob(f"{stage}.*"))) < int(stations):
        time.sleep(0.002)

seen = cases.get(ctx, int(duel_id)).version
everyone("read")
try:
    workflow.escalate(ctx, int(duel_id), note=f"{label}号机上报", expected_version=seen)
    print("DUEL won", flush=True)
except ConflictError as exc:
    print("DUEL conflict", exc.message, flush=True)

everyone("go")
for i in range(int(count)):
    draft = CaseDraft(summary=f"{label}号机登记的第{i + 1}件纠纷", parties=[PartyInput(f"{label}当事人{i}")])
    print("NUMBER", cases.register(ctx, draft).number, flush=True)
    while True:
        case = cases.get(ctx, int(shared_id))
        later = (case.deadline + timedelta(days=1)).isoformat()
        try:
            workflow.extend_deadline(ctx, int(shared_id), later, "双方当事人同意延期", expected_version=case.version)
            print("EXTEND ok", flush=True)
            break
        except ConflictError:
            print("EXTEND conflict", flush=True)
db.dispose()
"""


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database on the CI/dev server when there is one, else on a server of this test's own."""
    admin_url = os.environ.get("WUYE_TEST_PG_URL", "")
    if not admin_url:
        own = ThrowawayServer()
        own.start()
        try:
            yield own.create_database("wuye_stations")
        finally:
            own.remove()
        return
    name = f"wuye_stations_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_workstations_registering_and_editing_at_once(server_url: str, tmp_path: Path) -> None:
    db = open_register(data_dir=str(tmp_path / "setup"), db_url=server_url)
    ctx = Context(db, User("王晓燕"), today_override=TODAY)
    try:
        duel = cases.register(ctx, CaseDraft(summary="几台电脑同时上报的案件", parties=[PartyInput("赵一")]))
        shared = cases.register(ctx, CaseDraft(summary="几台电脑同时延期的案件", parties=[PartyInput("钱二")]))
        for case in (duel, shared):
            workflow.accept(ctx, case.id)
        first_deadline = cases.get(ctx, shared.id).deadline
        assert first_deadline == TODAY + timedelta(days=30)

        flags = tmp_path / "flags"
        flags.mkdir()
        stations = [
            subprocess.Popen(
                [sys.executable, "-c", _STATION, server_url, str(tmp_path / label), label, str(PER_STATION),
                 str(flags), str(duel.id), str(shared.id), str(len(STATIONS))],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for label in STATIONS
        ]
        try:
            outputs = [s.communicate(timeout=300) for s in stations]
        finally:
            for s in stations:
                if s.poll() is None:
                    s.kill()
        for station, (_out, err) in zip(stations, outputs, strict=True):
            assert station.returncode == 0, err
        lines = [line for out, _err in outputs for line in out.splitlines()]

        # Every station saved on the same stale copy: one got through, each of the others was told.
        duel_results = [line.split()[1] for line in lines if line.startswith("DUEL")]
        assert sorted(duel_results) == ["conflict"] * (len(STATIONS) - 1) + ["won"]
        assert all("已被其他人修改" in line for line in lines if line.startswith("DUEL conflict"))
        assert cases.get(ctx, duel.id).escalation == "小区党支部"  # escalated once, not four times

        # Numbers: unique, and with the two set-up cases exactly 1..N: no gaps.
        given = [line.split()[1] for line in lines if line.startswith("NUMBER")]
        assert len(given) == len(set(given)) == len(STATIONS) * PER_STATION
        with db.reading() as session:
            seqs = sorted(session.scalars(select(MediationCase.seq)))
            extends = session.scalar(select(func.count()).select_from(CaseEvent).where(
                CaseEvent.case_id == shared.id, CaseEvent.action == "extend"))
        assert seqs == list(range(1, len(STATIONS) * PER_STATION + 3))

        # No lost update: every successful extension moved the deadline on by exactly one day.
        successes = sum(1 for line in lines if line == "EXTEND ok")
        assert successes == extends == len(STATIONS) * PER_STATION
        assert cases.get(ctx, shared.id).deadline == first_deadline + timedelta(days=successes)
        conflicts = sum(1 for line in lines if line == "EXTEND conflict")
        print(f"{successes} extensions saved, {conflicts} stale saves refused and retried")
    finally:
        db.dispose()

