"""Case and agreement numbers: gap-free, unique under concurrent clerks, per year, in the room's own format."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from service_helpers import add_estate, agreement_row, case_in, draft_agreement, person, register_case

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import CaseStatus
from wuye_desktop.services import cases, settings
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases import numbering, workflow
from wuye_desktop.services.cases.listing import CaseFilter
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.engine import Database

PER_WRITER = 40

# One clerk's PC: open the register, say it is ready, wait for the start signal, register N cases.
_CLERK = r"""
import sys, time
from datetime import date
from pathlib import Path
from wuye_desktop.services import cases
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.safety.opening import open_register

data_dir, url, label, count, go = sys.argv[1:6]
db = open_register(data_dir=data_dir, db_url=url or None)
ctx = Context(db, User("王晓燕"), today_override=date(2026, 11, 20))
Path(f"{go}.{label}").touch()
while not Path(go).exists():
    time.sleep(0.002)
for i in range(int(count)):
    draft = CaseDraft(summary=f"{label}登记的第{i + 1}件纠纷", parties=[PartyInput(f"{label}当事人{i}")])
    print(cases.register(ctx, draft).number, flush=True)
    time.sleep(0.005)  # the clerk turns to the next form; lets the other PC's save in between
db.dispose()
"""


def numbers_in_register(ctx: Context) -> list[str]:
    rows = register.page(ctx, CaseFilter(), 0, 10_000, sort="number", descending=False)
    assert len(rows) == register.count(ctx, CaseFilter())
    return [r.number for r in rows]


def case_numbers(first: int, last: int, year: int = 2026) -> list[str]:
    return [f"（{year}）某某调字第{n}号" for n in range(first, last + 1)]


# -- concurrency ---------------------------------------------------------------------------


def test_two_clerks_registering_at_once_get_gap_free_unique_numbers(
        ctx: Context, db_url: str | None, data_dir: Path, tmp_path: Path) -> None:
    """Two separate processes (two PCs on one shared register) register 40 cases each at the same time."""
    go = tmp_path / "go"
    clerks = [
        subprocess.Popen([sys.executable, "-c", _CLERK, str(data_dir), db_url or "", label, str(PER_WRITER),
                          str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for label in ("甲", "乙")
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(Path(f"{go}.{label}").exists() for label in ("甲", "乙")):
            assert all(c.poll() is None for c in clerks), [c.communicate()[1] for c in clerks]
            assert time.monotonic() < deadline, "the clerks' programs did not start"
            time.sleep(0.01)
        go.touch()
        outputs = [c.communicate(timeout=240) for c in clerks]
    finally:
        for c in clerks:
            if c.poll() is None:
                c.kill()
    for clerk, (_out, err) in zip(clerks, outputs, strict=True):
        assert "locked" not in err.lower() and "占用" not in err, err
        assert clerk.returncode == 0, err
    per_clerk = [[_seq(line) for line in out.split()] for out, _err in outputs]
    assert all(min(taken) <= PER_WRITER for taken in per_clerk), "the two clerks really saved at the same time"
    given = [line for out, _err in outputs for line in out.split()]
    assert len(given) == 2 * PER_WRITER
    assert sorted(given, key=_seq) == case_numbers(1, 2 * PER_WRITER), "no duplicates, no gaps"
    assert numbers_in_register(ctx) == case_numbers(1, 2 * PER_WRITER)
    with ctx.db.reading() as session:
        committee = cases.default_committee(session)
        assert numbering.last_given(session, committee.id, numbering.CASE, 2026) == 2 * PER_WRITER


def test_clerks_in_threads_of_one_program_get_gap_free_unique_numbers(ctx: Context) -> None:
    """Several windows of one program saving at once share one database handle."""
    def clerk(label: str) -> list[str]:
        return [register_case(ctx, summary=f"{label}窗口登记的第{i}件").number for i in range(15)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        given = [n for batch in pool.map(clerk, "ABCD") for n in batch]
    assert sorted(given, key=_seq) == case_numbers(1, 60)
    assert numbers_in_register(ctx) == case_numbers(1, 60)


def _seq(number: str) -> int:
    return int(number.split("第")[1].rstrip("号"))


# -- per year ------------------------------------------------------------------------------


def test_each_year_has_its_own_sequence(ctx: Context) -> None:
    given = [
        register_case(ctx, registered_on="2026-01-05").number,
        register_case(ctx, registered_on="2025-12-31").number,
        register_case(ctx, registered_on="2026-11-20").number,
        register_case(ctx, registered_on="2025年12月30日").number,
        register_case(ctx).number,
    ]
    assert given == ["（2026）某某调字第1号", "（2025）某某调字第1号", "（2026）某某调字第2号",
                     "（2025）某某调字第2号", "（2026）某某调字第3号"]


def test_agreement_numbers_follow_the_signing_year_not_the_registration_year(ctx: Context) -> None:
    old = register_case(ctx, registered_on="2025-12-20")
    workflow.accept(ctx, old.id, on="2025-12-22")
    late = agreements.sign(ctx, draft_agreement(ctx, old.id), signed_on="2026-01-04")
    new = case_in(ctx, CaseStatus.ACCEPTED)
    assert new.pending_draft is not None
    assert [late, agreements.sign(ctx, new.pending_draft)] == ["（2026）某某调协字第1号", "（2026）某某调协字第2号"]
    assert old.number == "（2025）某某调字第1号"


# -- refused work gives its number back -------------------------------------------------------


def test_refused_registrations_do_not_use_up_numbers(ctx: Context) -> None:
    place = add_estate(ctx, "锦绣花园", "安居物业服务有限公司", 1)
    other = add_estate(ctx, "阳光水岸", "锦程物业管理有限公司", 2)
    assert register_case(ctx).number == "（2026）某某调字第1号"
    # Refused before the write: a blank summary.
    with pytest.raises(ValidationError):
        register_case(ctx, summary="  ")
    # Refused inside the write: a building of another estate.
    with pytest.raises(ValidationError) as caught:
        register_case(ctx, estate_id=place.estate_id, building_id=other.buildings["1号楼"])
    assert list(caught.value.errors) == ["building_id"]
    # A party pointing at an estate that does not exist: refused with the party's field named.
    with pytest.raises(ValidationError) as caught:
        register_case(ctx, parties=[person("张三", estate_id=99_999)])
    assert list(caught.value.errors) == ["parties.0.estate_id"]
    assert register_case(ctx).number == "（2026）某某调字第2号"
    assert numbers_in_register(ctx) == case_numbers(1, 2)


def test_an_unsigned_draft_does_not_use_up_an_agreement_number(ctx: Context) -> None:
    abandoned = case_in(ctx, CaseStatus.ACCEPTED)
    kept = case_in(ctx, CaseStatus.ACCEPTED)
    assert abandoned.pending_draft is not None and kept.pending_draft is not None
    assert agreements.sign(ctx, kept.pending_draft) == "（2026）某某调协字第1号"
    assert agreement_row(ctx, abandoned.pending_draft).number is None


# -- the room's own format ----------------------------------------------------------------------


def test_custom_case_number_format_is_used_and_the_sequence_continues(ctx: Context) -> None:
    assert register_case(ctx).number == "（2026）某某调字第1号"
    settings.put(ctx, settings.CASE_NUMBER_FORMAT, "{short}调〔{year}〕{seq:03d}号")
    assert register_case(ctx).number == "某某调〔2026〕002号"
    assert register_case(ctx, registered_on="2025-06-01").number == "某某调〔2025〕001号"
    assert settings.get(ctx, settings.CASE_NUMBER_FORMAT) == "{short}调〔{year}〕{seq:03d}号"


def test_custom_agreement_number_format_is_used(ctx: Context) -> None:
    settings.put(ctx, settings.AGREEMENT_NUMBER_FORMAT, "{short}调协〔{year}〕第{seq:04d}号")
    case = case_in(ctx, CaseStatus.ACCEPTED)
    assert case.pending_draft is not None
    assert agreements.sign(ctx, case.pending_draft) == "某某调协〔2026〕第0001号"


@pytest.mark.parametrize("fmt", [
    "（{year}）{short}调字第号",
    "（{year}）{short}调字第{{seq}}号",  # escaped braces: the text "{seq}", not the sequence
    "",
])
@pytest.mark.parametrize("key", [settings.CASE_NUMBER_FORMAT, settings.AGREEMENT_NUMBER_FORMAT])
def test_format_without_a_sequence_number_is_refused(ctx: Context, key: str, fmt: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings.put(ctx, key, fmt)
    assert list(caught.value.errors) == [key]
    assert "序号" in caught.value.errors[key] and "{seq}" in caught.value.errors[key]
    assert settings.get(ctx, key) == settings.DEFAULTS[key], "the refused format was not saved"


@pytest.mark.parametrize("key", [settings.CASE_NUMBER_FORMAT, settings.AGREEMENT_NUMBER_FORMAT])
def test_format_without_the_year_is_refused(ctx: Context, key: str) -> None:
    """Sequences restart each January: a format without the year would repeat last year's numbers."""
    with pytest.raises(ValidationError) as caught:
        settings.put(ctx, key, "{short}调字第{seq}号")
    assert "{year}" in caught.value.errors[key]
    assert settings.get(ctx, key) == settings.DEFAULTS[key]


@pytest.mark.parametrize("fmt", ["（{year}）{short}调字第{seq}号{unknown}", "（{year}）{short}调字第{seq:x>}号{"])
def test_format_with_unknown_fields_is_refused_in_chinese(ctx: Context, fmt: str) -> None:
    with pytest.raises(ValidationError) as caught:
        settings.put(ctx, settings.CASE_NUMBER_FORMAT, fmt)
    assert "只能使用" in caught.value.errors[settings.CASE_NUMBER_FORMAT]
    assert register_case(ctx).number == "（2026）某某调字第1号"


def test_numbers_survive_reopening_the_register(ctx: Context, db_url: str | None, data_dir: Path) -> None:
    register_case(ctx)
    register_case(ctx)
    again: Database = open_register(data_dir=str(data_dir), db_url=db_url)
    try:
        later = Context(again, User("王晓燕"), today_override=ctx.today())
        assert register_case(later).number == "（2026）某某调字第3号"
    finally:
        again.dispose()
