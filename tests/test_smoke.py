"""The smoke routine a frozen build runs: a small day's work end to end, read back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from wuye_desktop import smoke


def test_smoke_routine_registers_signs_prints_and_reports(tmp_path: Path) -> None:
    result = smoke.run(tmp_path / "data", tmp_path / "out")
    assert result.case_number.endswith("调字第1号")
    text = "".join(p.extract_text() or "" for p in PdfReader(result.agreement_pdf).pages)
    assert "人民调解协议书" in text and result.agreement_number in text and "张三" in text
    workbook = load_workbook(result.workbook, read_only=True)
    assert {"汇总", "台账"} <= set(workbook.sheetnames)
