"""The monthly workbook's figures, checked cell by cell against an independent recomputation.

The register is built through the services with cases whose states change
across month boundaries (see statistics_scenario); the expected figures
come from raw SQL and an event replay (statistics_oracle).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from statistics_oracle import Figures, active, figures, mediators
from statistics_scenario import build

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import OfficialType
from wuye_desktop.services import statistics
from wuye_desktop.services.context import Context

Getter = Callable[[Figures], Any]
SOURCE_ROWS: list[tuple[str, Getter, bool]] = [
    ("受理纠纷", lambda f: len(f.events["accept"]), False),
    ("主动调解", lambda f: f.accepted_from("initiative", "grid"), True),
    ("其中：调委会主动调解", lambda f: f.accepted_from("initiative"), True),
    ("其中：网格员上报", lambda f: f.accepted_from("grid"), True),
    ("依申请调解", lambda f: f.accepted_from("application"), True),
    ("委托移送调解", lambda f: f.accepted_from("entrusted", "department", "party_branch"), True),
    ("其中：法院/公安委托移送", lambda f: f.accepted_from("entrusted"), True),
    ("其中：部门转办", lambda f: f.accepted_from("department"), True),
    ("其中：小区党支部转交", lambda f: f.accepted_from("party_branch"), True),
    ("12345热线转来", lambda f: f.accepted_from("hotline"), True),
    ("信访转来", lambda f: f.accepted_from("petition"), True),
]
RESULT_ROWS: list[tuple[str, Getter, bool]] = [
    ("调解成功", lambda f: len(f.events["agree"]), False),
    ("成功率", lambda f: f.rate, False),
    ("调解终止", lambda f: len(f.events["terminate"]), False),
    ("期末在调", lambda f: len(f.open_at_end), False),
    ("书面协议", lambda f: f.written(), False),
    ("口头协议", lambda f: f.oral(), False),
    ("协议涉及金额", lambda f: f.amount_wan(), False),
    ("司法确认申请", lambda f: f.judicial, False),
    ("回访", lambda f: len(f.visited), False),
    ("已履行", lambda f: len(f.performed), False),
    ("排查发现纠纷", lambda f: f.sweep(), False),
]
PREVENTION = ("prevented_criminal", "prevented_suicide", "prevented_group_petition", "prevented_group_fight")
OTHER_ROWS: list[tuple[str, Getter, bool]] = [
    ("登记纠纷", lambda f: len(f.registered), False),
    ("不予受理", lambda f: len(f.events["refuse"]), False),
    ("转办", lambda f: len(f.events["refer"]), False),
    ("结案归档", lambda f: len(f.events["close"]), False),
    ("期末逾期未结", lambda f: len(f.overdue), False),
]


def expected_rows() -> list[tuple[str, Getter, bool]]:
    rows = SOURCE_ROWS + RESULT_ROWS
    for flag in PREVENTION:
        rows.append(("", lambda f, k=flag: f.prevented(k)[0], False))
        rows.append(("涉及人数", lambda f, k=flag: f.prevented(k)[1], False))
    rows += [(t.label, lambda f, v=t.value: f.accepted_of_type(v), True) for t in OfficialType]
    return rows + OTHER_ROWS


def change(current: Any, other: Any) -> Any:
    return None if current is None or other is None else current - other


def ratio(current: Any, other: Any, is_rate: bool) -> Any:
    return None if is_rate or current is None or not other else (current - other) / other


def summary_rows(ws: Any) -> list[tuple[Any, ...]]:
    """The figure rows of a 汇总 sheet (not headings, not notes)."""
    return [row for row in ws.iter_rows(min_row=4, values_only=True)
            if row[1] is not None and not str(row[0]).startswith("注：")]


def check_summary(ws: Any, cur: Figures, prev: Figures, ly: Figures) -> None:
    rows = summary_rows(ws)
    wanted = expected_rows()
    assert len(rows) == len(wanted)
    for row, (label, get, shared) in zip(rows, wanted, strict=True):
        if label:
            assert row[0].strip() == label
        is_rate = label == "成功率"
        c, p, y = get(cur), get(prev), get(ly)
        accepted = len(cur.events["accept"])
        share = c / accepted if shared and accepted else None
        assert row[2:] == pytest.approx((c, share, p, change(c, p), ratio(c, p, is_rate), y, change(c, y),
                                         ratio(c, y, is_rate)), rel=1e-12, abs=1e-12), row[0]


def _export(ctx: Context, period: statistics.Period, path: Path) -> Any:
    statistics.export_monthly(ctx, period, path)
    return openpyxl.load_workbook(path)


def test_october_summary_matches_an_independent_count_cell_by_cell(ctx: Context, tmp_path: Path) -> None:
    build(ctx)
    book = _export(ctx, statistics.month(2026, 10), tmp_path / "m.xlsx")
    assert book.sheetnames == ["汇总", "分类", "小区", "物业企业", "调解员", "台账"]
    cur = figures(ctx, date(2026, 10, 1), date(2026, 10, 31))
    prev = figures(ctx, date(2026, 9, 1), date(2026, 9, 30))
    ly = figures(ctx, date(2025, 10, 1), date(2025, 10, 31))
    check_summary(book["汇总"], cur, prev, ly)
    # The scenario's boundary cases, spelled out: A accepted in September is settled in October;
    # C registered on 31 October counts as registered, not accepted; F is overdue at the month's end.
    assert len(cur.events["accept"]) == 3 and len(cur.events["agree"]) == 2 and len(cur.registered) == 6
    assert len(cur.open_at_end) == 1 and len(cur.overdue) == 1 and len(prev.open_at_end) == 2


def test_november_counts_what_happened_in_november_only(ctx: Context, tmp_path: Path) -> None:
    scenario = build(ctx)
    book = _export(ctx, statistics.month(2026, 11), tmp_path / "m.xlsx")
    cur = figures(ctx, date(2026, 11, 1), date(2026, 11, 30))
    prev = figures(ctx, date(2026, 10, 1), date(2026, 10, 31))
    ly = figures(ctx, date(2025, 11, 1), date(2025, 11, 30))
    check_summary(book["汇总"], cur, prev, ly)
    # H was settled again after reopening: its second agreement counts in November.
    assert cur.events["agree"] == {scenario.cases["H"]} and cur.judicial == 1
    assert cur.events["close"] == {scenario.cases["A"], scenario.cases["B"]}


def test_a_month_with_no_cases_is_all_zero_and_has_no_ledger_rows(ctx: Context, tmp_path: Path) -> None:
    build(ctx)
    book = _export(ctx, statistics.month(2026, 3), tmp_path / "m.xlsx")
    empty = figures(ctx, date(2026, 3, 1), date(2026, 3, 31))
    check_summary(book["汇总"], empty, figures(ctx, date(2026, 2, 1), date(2026, 2, 28)),
                  figures(ctx, date(2025, 3, 1), date(2025, 3, 31)))
    values = {row[0].strip(): row[2] for row in summary_rows(book["汇总"])}
    assert values["受理纠纷"] == 0 and values["成功率"] is None and values["协议涉及金额"] == 0
    below_header = [row for row in book["台账"].iter_rows(min_row=4, values_only=True) if any(row)]
    assert below_header and all(str(row[0]).startswith("注：") for row in below_header)


def test_quarter_year_and_range_use_the_same_counting(ctx: Context, tmp_path: Path) -> None:
    build(ctx)
    for period, prev, ly in (
        (statistics.quarter(2026, 4), (date(2026, 7, 1), date(2026, 9, 30)), (date(2025, 10, 1), date(2025, 12, 31))),
        (statistics.year(2026), (date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
        (statistics.between(date(2026, 10, 10), date(2026, 11, 9)), (date(2026, 9, 9), date(2026, 10, 9)),
         (date(2025, 10, 10), date(2025, 11, 9))),
    ):
        book = _export(ctx, period, tmp_path / f"{period.kind}.xlsx")
        check_summary(book["汇总"], figures(ctx, period.start, period.end), figures(ctx, *prev), figures(ctx, *ly))


def _group_check(ws: Any, cur: Figures, key: str, names: dict[Any, str]) -> None:
    counted = active(cur) | cur.open_at_end
    keys = {cur.cases[i][key] for i in counted}
    expected = {}
    for k in keys:
        def mine(ids: set[int], k: Any = k) -> int:
            return sum(1 for i in ids if cur.cases[i][key] == k)

        succeeded, terminated = mine(cur.events["agree"]), mine(cur.events["terminate"])
        expected[names.get(k, k)] = (
            mine(cur.registered), mine(cur.events["accept"]), succeeded, terminated,
            succeeded / (succeeded + terminated) if succeeded + terminated else None, mine(cur.open_at_end),
            mine(cur.registered) / len(cur.registered) if cur.registered else None)
    found = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1] and not str(row[0] or "").startswith("注：") and row[1] != "合计" and any(row[2:8]):
            found[row[1]] = tuple(row[2:9])
    wanted = {k: v for k, v in expected.items() if any(v[:6])}
    assert set(found) == set(wanted)
    for name, values in wanted.items():
        assert found[name] == pytest.approx(values), name
    total = next(row for row in ws.iter_rows(min_row=4, values_only=True) if row[1] == "合计")
    assert total[2:4] == (len(cur.registered), len(cur.events["accept"]))


def test_breakdowns_by_subtype_estate_company_and_mediator(ctx: Context, tmp_path: Path) -> None:
    scenario = build(ctx)
    book = _export(ctx, statistics.month(2026, 10), tmp_path / "m.xlsx")
    cur = figures(ctx, date(2026, 10, 1), date(2026, 10, 31))
    from wuye_desktop.services import reference

    subtypes = {c.id: c.name for c in reference.subtypes(ctx)} | {None: "（未分类）"}
    _group_check(book["分类"], cur, "subtype_id", subtypes)
    estates = {v: k for k, v in scenario.estates.items()} | {None: "（未登记小区）"}
    _group_check(book["小区"], cur, "estate_id", estates)
    companies = {v: k for k, v in scenario.companies.items()} | {None: "（未登记物业企业）"}
    _group_check(book["物业企业"], cur, "property_company_id", companies)

    expected = mediators(ctx, cur, date(2026, 10, 31))
    sheet = {row[1]: row for row in book["调解员"].iter_rows(min_row=4, values_only=True)
             if row[1] and not str(row[0] or "").startswith("注：")}
    for name, tally in expected.items():
        row = sheet[name]
        rate = tally["succeeded"] / tally["concluded"] if tally["concluded"] else None
        assert row[2:9] == pytest.approx((tally["cases"], tally["concluded"], tally["succeeded"],
                                          tally["terminated"], rate, tally["average_days"], tally["overdue"]))
    # 吴秀英 recused from F in September: F's overdue count is 黄德明's, not hers.
    assert sheet["黄德明"][8] == 1 and sheet["吴秀英"][8] == 0
    assert set(sheet) == set(expected) | {"陈明华", "黄德明", "吴秀英"}


def test_company_grades_follow_the_administrators_thresholds(ctx: Context, tmp_path: Path) -> None:
    from wuye_desktop.services import settings
    from wuye_desktop.services.statistics import grades as company_grades

    scenario = build(ctx)
    settings.put(ctx, settings.COMPANY_GRADE_RULES, {"window_months": 2, "disputes": [2, 3, 4], "failed": [1, 5, 9]})
    rows = {r.name: r for r in company_grades.company_grades(ctx, date(2026, 10, 31))}
    # 幸福里 (安居): A, C, F registered in Sep–Oct → 3 disputes: 黄色. 锦绣花园 (长青): B, E, H → 3, and B
    # terminated + E referred → 2 unresolved: 黄色 by disputes, 蓝色 by unresolved → the worse, 黄色.
    assert (rows["黄石安居物业服务有限公司"].disputes, rows["黄石安居物业服务有限公司"].grade.label) == (3, "黄色")
    assert (rows["湖北长青物业服务有限公司"].failed, rows["湖北长青物业服务有限公司"].grade.label) == (2, "黄色")
    book = _export(ctx, statistics.month(2026, 10), tmp_path / "m.xlsx")
    grades = {row[1]: (row[9], row[10]) for row in book["物业企业"].iter_rows(min_row=4, values_only=True)
              if row[1] in scenario.companies}
    assert grades == {"黄石安居物业服务有限公司": ("黄色", "3 / 0"), "湖北长青物业服务有限公司": ("黄色", "3 / 2")}
    with pytest.raises(ValidationError, match="蓝色 ≤ 黄色 ≤ 红色"):
        settings.put(ctx, settings.COMPANY_GRADE_RULES, {"window_months": 12, "disputes": [5, 3, 9],
                                                         "failed": [1, 2, 3]})
    with pytest.raises(ValidationError, match="统计月数"):
        settings.put(ctx, settings.COMPANY_GRADE_RULES, {"window_months": 0, "disputes": [1, 2, 3],
                                                         "failed": [1, 2, 3]})
