"""``wuye report monthly``, ``wuye import hotline``, ``wuye export replies``: the installed script, fresh processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import hotline_samples as samples
import openpyxl
import pytest
from cli_signing import as_admin

WUYE = Path(sys.executable).with_name("wuye")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    home = tmp_path / "home"
    home.mkdir()
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp_path))
    return clean


def wuye(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    line, stdin = as_admin(args)
    result = subprocess.run([str(WUYE), *line], env=env, input=stdin, capture_output=True, text=True, timeout=120,
                            check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _one_line_error(result: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：")
    assert not list(tmp_path.glob("wuye-crash-*.txt"))
    return lines[0]


def _last_months(count: int) -> list[str]:
    today = date.today()
    index = today.year * 12 + today.month - 1
    return [f"{(index - back) // 12}-{(index - back) % 12 + 1:02d}" for back in range(count)]


@pytest.mark.slow
def test_a_workbook_for_each_of_the_last_fifteen_months_of_a_demo_register(env: dict[str, str],
                                                                           tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert wuye(env, "--data-dir", data, "demo", "--cases", "600", "--seed", "3").returncode == 0
    busiest = 0
    for month in _last_months(15):
        out = tmp_path / f"{month}.xlsx"
        result = wuye(env, "--data-dir", data, "report", "monthly", "--month", month, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"已生成{int(month[:4])}年{int(month[5:])}月统计表")
        book = openpyxl.load_workbook(out, read_only=True)
        assert {"汇总", "台账"} <= set(book.sheetnames)
        rows = sum(1 for row in book["台账"].iter_rows(values_only=True) if any(v not in (None, "") for v in row))
        busiest = max(busiest, rows)
        book.close()
    assert busiest > 3


def test_quarter_year_and_date_range_and_mistakes(env: dict[str, str], tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert wuye(env, "--data-dir", data, "demo", "--cases", "80", "--seed", "2").returncode == 0
    year = date.today().year
    for option in (["--quarter", f"{year}Q1"], ["--year", str(year)], ["--from", f"{year}-01-01", "--to",
                                                                       f"{year}-01-20"]):
        out = tmp_path / "r.xlsx"  # the same file each time: replaced because --force says so
        result = wuye(env, "--data-dir", data, "report", "monthly", *option, "-o", str(out), "--force")
        assert result.returncode == 0 and out.exists(), result.stderr
    assert "月份应为1至12" in _one_line_error(
        wuye(env, "--data-dir", data, "report", "monthly", "--month", "2026-13", "-o", str(tmp_path / "x.xlsx")),
        tmp_path)
    assert "--from" in _one_line_error(
        wuye(env, "--data-dir", data, "report", "monthly", "--from", "2026-01-01", "-o", str(tmp_path / "x.xlsx")),
        tmp_path)
    assert "不存在" in _one_line_error(
        wuye(env, "--data-dir", data, "report", "monthly", "--month", "2026-01", "-o", str(tmp_path / "无" / "x.xlsx")),
        tmp_path)
    assert "找不到调委会" in _one_line_error(
        wuye(env, "--data-dir", data, "report", "monthly", "--year", "2026", "--committee", "不存在的调委会",
             "-o", str(tmp_path / "x.xlsx")), tmp_path)
    usage = wuye(env, "--data-dir", data, "report", "monthly", "--month", "2026-01")
    assert usage.returncode == 2 and "参数有误" in usage.stderr


def _cases(data: Path) -> int:
    conn = sqlite3.connect(data / "wuye.db")
    try:
        return int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    finally:
        conn.close()


def test_import_hotline_dry_run_then_import_then_again(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert wuye(env, "--data-dir", str(data), "init").returncode == 0
    sheet = samples.messy_xlsx(tmp_path / "工单.xlsx")
    dry = wuye(env, "--data-dir", str(data), "import", "hotline", str(sheet), "--dry-run")
    assert dry.returncode == 1 and _cases(data) == 0
    assert "第9行 | 来电时间(必填)（E列） | 受理时间“2026-02-30”不存在" in dry.stdout
    assert "［跳过］与第4行完全相同，已跳过" in dry.stdout
    assert "试导入（未写入任何内容）：共 14 行，可导入 5 行，有问题 7 行，跳过 2 行。" in dry.stdout
    assert dry.stderr.strip().startswith("有 7 行有问题")

    real = wuye(env, "--data-dir", str(data), "import", "hotline", str(sheet))
    assert real.returncode == 1 and _cases(data) == 5
    assert "已导入 5 件工单并登记为案件" in real.stdout
    again = wuye(env, "--data-dir", str(data), "import", "hotline", str(sheet))
    assert "已导入 0 件工单" in again.stdout and _cases(data) == 5

    clean = wuye(env, "--data-dir", str(data), "import", "hotline", str(samples.gbk_csv(tmp_path / "工单.csv")))
    assert clean.returncode == 0 and "检查通过" in clean.stdout and _cases(data) == 7
    broken = samples.corrupt(tmp_path / "坏.xlsx", sheet)
    assert "已损坏" in _one_line_error(wuye(env, "--data-dir", str(data), "import", "hotline", str(broken)), tmp_path)
    assert _cases(data) == 7

    out = tmp_path / "回复.xlsx"
    replies = wuye(env, "--data-dir", str(data), "export", "replies", "--month", "2026-10", "-o", str(out))
    assert replies.returncode == 0 and "回复 7 条" in replies.stdout
    assert [c.value for c in openpyxl.load_workbook(out).active[1]] == ["工单编号", "办理结果", "回复内容", "办结时间"]
