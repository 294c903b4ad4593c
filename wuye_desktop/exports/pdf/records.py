"""人民调解调查记录, 人民调解记录 and 议事协商记录: one form per session or step, in the order held.

A case with none yet gets one blank 人民调解记录 with the case filled in, to
write on during the session.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from wuye_desktop.exports.pdf.data import RecordsDoc, SessionRecord, StepRecord
from wuye_desktop.exports.pdf.parts import signature_cell
from wuye_desktop.exports.pdf.styles import Sheet, cn_datetime

SESSION_TITLE = "人民调解记录"
INVESTIGATION_TITLE = "人民调解调查记录"
STEP_TITLE = "议事协商记录"
RIGHTS_TOLD = ("已告知当事人人民调解的性质、原则和效力，以及当事人在调解活动中享有的权利和承担的义务，"
               "当事人表示已经知悉。")
_COLS = [0.2, 0.33, 0.2, 0.27]


def title_of(doc: RecordsDoc) -> str:
    kinds = {entry_title(e) for e in doc.entries}
    return kinds.pop() if len(kinds) == 1 else SESSION_TITLE


def entry_title(entry: SessionRecord | StepRecord) -> str:
    if isinstance(entry, StepRecord):
        return STEP_TITLE
    return INVESTIGATION_TITLE if entry.investigation else SESSION_TITLE


def story(doc: RecordsDoc, sheet: Sheet) -> list[Flowable]:
    out: list[Flowable] = []
    entries = doc.entries or (None,)
    for index, entry in enumerate(entries):
        if index:
            out.append(PageBreak())
        out += entry_story(doc, entry, sheet)
    return out


def entry_story(doc: RecordsDoc, entry: SessionRecord | StepRecord | None, sheet: Sheet) -> list[Flowable]:
    if isinstance(entry, StepRecord):
        title, table = f"{STEP_TITLE}（{entry.step_name}）", _step(doc, entry, sheet)
    else:
        title = entry_title(entry) if entry is not None else SESSION_TITLE
        table = _session(doc, entry, sheet)
    return [sheet.title(title), sheet.number_line("案件编号：", doc.case_number), *table]


def _session(doc: RecordsDoc, r: SessionRecord | None, sheet: Sheet) -> list[Flowable]:
    investigation = r is not None and r.investigation
    rows: list[list[object]] = [
        ["时间", cn_datetime(r.held_at if r else None), "地点", r.place if r else ""],
        ["事由", (r.matter if r else "") or doc.matter, "", ""],
        ["参加人", r.participants if r else "", "", ""],
        ["当事人", (r.parties_present if r else "") or doc.parties, "", ""],
    ]
    if not investigation:
        rows.append(["权利义务告知", RIGHTS_TOLD if r is None or r.rights_told else "未告知", "", ""])
    rows += [
        ["当事人陈述", sheet.cell_text(r.statements) if r else _blank(sheet, 7), "", ""],
        ["调查情况" if investigation else "调解情况", sheet.cell_text(r.findings) if r else _blank(sheet, 7), "", ""],
        ["调查结论" if investigation else "调解结果", sheet.cell_text(r.outcome) if r else _blank(sheet, 3), "", ""],
        ["当事人（签名）", signature_cell(sheet, ""), "调解员（签名）", signature_cell(sheet, "")],
        ["记录人（签名）", signature_cell(sheet, r.recorder if r else ""), "", ""],
    ]
    return _form(rows, sheet)


def _step(doc: RecordsDoc, s: StepRecord, sheet: Sheet) -> list[Flowable]:
    attendance = ""
    if s.expected_count is not None or s.present_count is not None:
        expected = "" if s.expected_count is None else f"应到{s.expected_count}人"
        present = "" if s.present_count is None else f"实到{s.present_count}人"
        attendance = "，".join(x for x in (expected, present) if x)
    rows: list[list[object]] = [
        ["时间", cn_datetime(s.held_at), "步骤", s.step_name],
        ["形式", s.form, "地点", s.place],
        ["事由", doc.matter, "", ""],
        ["参加人员", s.participants, "", ""],
        ["出席情况", attendance, "", ""],
        ["议事内容", sheet.cell_text(s.content), "", ""],
        ["议定事项", sheet.cell_text(s.decision), "", ""],
        ["公开情况", sheet.cell_text(s.publicity), "", ""],
        ["监督意见", sheet.cell_text(s.supervision), "", ""],
        ["记录人（签名）", signature_cell(sheet, s.recorder), "", ""],
    ]
    return _form(rows, sheet)


def _form(rows: list[list[object]], sheet: Sheet) -> list[Flowable]:
    return sheet.form(rows, _COLS, label_columns=(0, 2))


def _blank(sheet: Sheet, lines: int) -> list[Flowable]:
    return sheet.cell_text("", lines=lines)
