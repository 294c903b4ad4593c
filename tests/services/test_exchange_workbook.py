"""After the roll-up, the county's monthly figures and workbook are the sum of its rooms'."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from service_helpers import TODAY

from wuye_desktop.services import demo, exchange, reference, statistics
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.services.statistics.summary import Summary

NOVEMBER = statistics.month(2026, 11)


def _room(tmp_path: Path, folder: str, seed: int, committee: tuple[str, str] | None) -> Path:
    """A room's register with demo cases; returns its exchange file for November."""
    db = open_register(data_dir=str(tmp_path / folder))
    try:
        ctx = Context(db, User("管理员"), today_override=TODAY)
        if committee is not None:
            reference.update_committee(ctx, name=committee[0], short_name=committee[1])
        demo.generate(ctx, 150, seed=seed)
        return exchange.export_period(ctx, "2026-11", tmp_path / f"{folder}.wyx").path
    finally:
        db.dispose()


def _own_summary(tmp_path: Path, folder: str) -> tuple[Summary, dict[str, Any]]:
    db = open_register(data_dir=str(tmp_path / folder))
    try:
        ctx = Context(db, User("管理员"), today_override=TODAY)
        book = tmp_path / f"{folder}.xlsx"
        statistics.export_monthly(ctx, NOVEMBER, book)
        return statistics.monthly_report(ctx, NOVEMBER).current, _current_column(book, "汇总")
    finally:
        db.dispose()


def _current_column(path: Path, sheet: str) -> dict[str, Any]:
    """The 本期 column of a summary sheet, by row label."""
    ws = load_workbook(path, read_only=True)[sheet]
    found: dict[str, Any] = {}
    for row in ws.iter_rows(values_only=True):
        if row and isinstance(row[0], str) and len(row) > 2 and isinstance(row[2], int | float | Decimal):
            found[row[0].strip("　")] = row[2]
    return found


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, dict):
        return dict(Counter(a) + Counter(b)) | {k: 0 for k in a.keys() | b.keys() if not a.get(k) and not b.get(k)}
    if isinstance(a, tuple):
        return tuple(x + y for x, y in zip(a, b, strict=True))
    return a + b


def test_county_figures_are_the_sum_of_its_rooms(ctx: Context, tmp_path: Path) -> None:
    files = [_room(tmp_path, "a", 8, None), _room(tmp_path, "b", 9, ("黄石港街道桂花社区人民调解委员会", "桂花"))]
    exchange.import_files(ctx, files, trust_new_rooms=True)
    rooms = [_own_summary(tmp_path, folder) for folder in ("a", "b")]

    county = statistics.monthly_report(ctx, NOVEMBER)
    for f in fields(Summary):
        mine = getattr(county.current, f.name)
        theirs = _add(getattr(rooms[0][0], f.name), getattr(rooms[1][0], f.name))
        if isinstance(mine, dict):
            mine, theirs = {k: v for k, v in mine.items() if v}, {k: v for k, v in theirs.items() if v}
        assert mine == theirs, f.name
    assert county.current.registered > 0 and county.current.accepted > 0

    book = tmp_path / "county.xlsx"
    statistics.export_monthly(ctx, NOVEMBER, book)
    total = _current_column(book, "汇总")
    counted = [label for label, value in rooms[0][1].items() if isinstance(value, int) and "率" not in label]
    assert "受理纠纷" in counted
    for label in counted:
        assert total[label] == rooms[0][1][label] + rooms[1][1][label], label
    sheets = load_workbook(book, read_only=True).sheetnames
    for name, (_summary, column) in zip(("黄石港街道幸福里社区人民调解委员会", "黄石港街道桂花社区人民调解委员会"),
                                        rooms, strict=True):
        sheet = next(s for s in sheets if s.startswith("汇总-") and len(s) > 8 and name.startswith(s[3:]))
        per_room = _current_column(book, sheet)
        assert all(per_room[label] == column[label] for label in counted), sheet
