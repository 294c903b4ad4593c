"""The monthly summary workbook: 汇总, 分类, 小区, 物业企业, 调解员, 台账 (and one 汇总 per committee).

Plain data in (a ``workbook_data.MonthlyWorkbook``, every figure already
computed), an .xlsx file out; no sessions.
Also the generic one-table workbook used for the 12345 replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from wuye_desktop.exports.workbook_data import GroupFigures, GroupTable, Heading, MonthlyWorkbook, SummaryRow
from wuye_desktop.exports.xlsx_sheet import GRADE_FILLS, Book, Column, Sheet, Value

TITLE = "物业纠纷调解工作统计表"
REPLY_HEADERS = ("工单编号", "办理结果", "回复内容", "办结时间")
SHEETS = ("汇总", "分类", "小区", "物业企业", "调解员", "台账")

SUMMARY_COLUMNS = (
    Column("项目", 26), Column("单位", 6, "center"), Column("本期", 10, "count"), Column("占受理比例", 10, "rate"),
    Column("上期", 10, "count"), Column("较上期增减", 11, "count"), Column("增减率", 9, "rate"),
    Column("去年同期", 10, "count"), Column("较去年同期增减", 13, "count"), Column("增减率", 9, "rate"),
)
_GROUP_TAIL = (
    Column("登记", 8, "count"), Column("受理", 8, "count"), Column("调解成功", 9, "count"),
    Column("调解终止", 9, "count"), Column("成功率", 9, "rate"), Column("期末在调", 9, "count"),
    Column("占登记比例", 10, "rate"),
)
COMPANY_EXTRA = (Column("四色评级", 9, "center"), Column("评级依据（纠纷/未化解）", 18, "center"),
                 Column("房管中心评定", 11, "center"))
MEDIATOR_COLUMNS = (
    Column("序号", 6, "count"), Column("调解员", 12), Column("承办（本期受理）", 12, "count"),
    Column("办结（成功+终止）", 13, "count"), Column("调解成功", 9, "count"), Column("调解终止", 9, "count"),
    Column("成功率", 9, "rate"), Column("平均办结天数", 11, "days"), Column("期末逾期", 9, "count"),
)
LEDGER_COLUMNS = (
    Column("序号", 5, "count"), Column("案件编号", 14, wrap=True), Column("登记日期", 10.5, "date"),
    Column("来源", 12, wrap=True), Column("纠纷类别", 10, wrap=True), Column("小区楼栋", 11, wrap=True),
    Column("物业企业", 12, wrap=True), Column("申请人", 8, wrap=True), Column("联系电话", 12),
    Column("身份证号", 19), Column("住址", 15, wrap=True), Column("被申请人", 11, wrap=True),
    Column("简要案情", 24, wrap=True), Column("调解员", 8, wrap=True), Column("受理日期", 10.5, "date"),
    Column("期末状态", 8, "center"), Column("状态日期", 10.5, "date"), Column("协议", 12, wrap=True),
    Column("协议金额（元）", 11, "money"), Column("回访履行", 8, "center"),
)
_MEDIATOR_NOTES = (
    "承办：本期受理的案件；办结：本期达成协议或调解终止的案件；一案有多名调解员时分别计入每人。",
    "调解员按统计期末未回避的指派计算（主办、协办均计入）；平均办结天数：从受理到本期达成协议或终止的天数的平均数。",
    "期末逾期：统计期末仍在调解、且已超过调解期限的案件。",
)


def write_monthly(data: MonthlyWorkbook, path: str | Path) -> None:
    book = Book()
    heading = data.heading
    subtitle = _subtitle(heading)
    _summary(book, "汇总", heading.unit, data, data.summary, subtitle)
    _groups(book, "分类", "物业类别", data.subtypes, data, subtitle,
            ("按物业纠纷类别统计，包括邻里纠纷等其他类型案件登记的类别；未选类别的案件列为“未分类”。",))
    _groups(book, "小区", "小区", data.estates, data, subtitle, ("只列出本期有案件的小区。",))
    _companies(book, data, subtitle)
    _mediators(book, data, subtitle)
    _ledger(book, data, subtitle)
    for section in data.committees:
        _summary(book, f"汇总-{section.name}", section.name, data, section.rows, _subtitle(heading, section.name))
    book.save(path)


def _subtitle(heading: Heading, unit: str = "") -> list[str]:
    return [f"填报单位：{unit or heading.unit}", f"统计期间：{heading.period_span}",
            f"上期：{heading.previous_span}", f"去年同期：{heading.last_year_span}",
            f"制表人：{heading.made_by}", f"制表时间：{heading.made_at:%Y-%m-%d %H:%M}"]


def _title(heading: Heading, what: str = "", unit: str = "") -> tuple[str, str]:
    return unit or heading.unit, f"{heading.period_label}{TITLE}{f'（{what}）' if what else ''}"


def _summary(book: Book, name: str, unit: str, data: MonthlyWorkbook, rows: Sequence[SummaryRow],
             subtitle: Sequence[str]) -> None:
    sheet = book.sheet(name, _title(data.heading, unit=unit), subtitle, SUMMARY_COLUMNS)
    for row in rows:
        if row.is_heading:
            sheet.add([row.label, *([None] * (len(SUMMARY_COLUMNS) - 1))], section=True)
            continue
        label = ("　　" if row.level else "") + row.label
        sheet.add([label, row.unit, row.current, row.share, row.previous, row.previous_change, row.previous_ratio,
                   row.last_year, row.last_year_change, row.last_year_ratio], bold=row.headline)
        if row.kind != "count":
            _number_format(sheet, row.kind)
    sheet.notes(data.notes)
    sheet.finish(freeze_columns=2)


def _number_format(sheet: Sheet, kind: str) -> None:
    """A rate or amount row shows its figures (and changes) in its own format."""
    from wuye_desktop.exports.xlsx_sheet import FORMATS

    row = sheet.next_row - 1
    for column in (3, 5, 6, 8, 9):
        sheet.ws.cell(row=row, column=column).number_format = FORMATS[kind]


def _group_cells(row: GroupFigures) -> list[Value]:
    return [row.registered, row.accepted, row.succeeded, row.terminated, row.success_rate,
            row.mediating_at_end, row.share]


def _groups(book: Book, name: str, header: str, table: GroupTable, data: MonthlyWorkbook,
            subtitle: Sequence[str], notes: Sequence[str]) -> None:
    columns = (Column("序号", 6, "count"), Column(header, 22), *_GROUP_TAIL)
    sheet = book.sheet(name, _title(data.heading, f"按{header}"), subtitle, columns)
    for index, row in enumerate(table.rows, 1):
        sheet.add([index, row.name, *_group_cells(row)])
    sheet.add([None, "合计", *_group_cells(table.total)], bold=True)
    sheet.notes([*notes, data.rate_note])
    sheet.finish(freeze_columns=2)


def _companies(book: Book, data: MonthlyWorkbook, subtitle: Sequence[str]) -> None:
    columns = (Column("序号", 6, "count"), Column("物业企业", 26), *_GROUP_TAIL, *COMPANY_EXTRA)
    sheet = book.sheet("物业企业", _title(data.heading, "按物业企业"), subtitle, columns)
    for index, row in enumerate(data.companies.rows, 1):
        fills = {len(columns) - 3: GRADE_FILLS[row.grade_colour.value]} if row.grade_colour else None
        sheet.add([index, row.figures.name, *_group_cells(row.figures), row.grade, row.grade_basis,
                   row.recorded_grade], fills=fills)
    sheet.add([None, "合计", *_group_cells(data.companies.total), None, None, None], bold=True)
    sheet.notes([f"四色评级（本程序按规则计算）：{data.grade_rules}。评级依据为统计窗口内的纠纷件数 / 未化解件数。",
                 "“房管中心评定”为录入的县房管中心正式评定结果，供对照。", data.rate_note])
    sheet.finish(freeze_columns=2)


def _mediators(book: Book, data: MonthlyWorkbook, subtitle: Sequence[str]) -> None:
    sheet = book.sheet("调解员", _title(data.heading, "按调解员"), subtitle, MEDIATOR_COLUMNS)
    for index, row in enumerate(data.mediators, 1):
        sheet.add([index, row.name, row.cases, row.concluded, row.succeeded, row.terminated,
                   row.success_rate, row.average_days, row.overdue])
    sheet.notes([*_MEDIATOR_NOTES, data.rate_note])
    sheet.finish(freeze_columns=2)


def _ledger(book: Book, data: MonthlyWorkbook, subtitle: Sequence[str]) -> None:
    sheet = book.sheet("台账", _title(data.heading, "案件台账"), subtitle, LEDGER_COLUMNS)
    sheet.add_many([index, r.number, r.registered_on, r.source, r.dispute_type, r.place, r.company,
                    r.applicant, r.phone, r.id_number, r.address, r.respondents, r.summary, r.mediators,
                    r.accepted_on, r.status, r.status_on, r.agreement, r.amount, r.visit]
                   for index, r in enumerate(data.ledger, 1))
    privacy = ("联系电话、身份证号、住址已按个人信息保护要求部分隐藏。" if data.masked
               else "本表含完整个人信息（联系电话、身份证号、住址），请妥善保管，不得外传。")
    sheet.notes(["本表列出本期登记、本期有办理进展（受理、协议、终止、不予受理、转办、结案、司法确认申请、回访）"
                 "的全部案件；状态为统计期末的状态。本期无办理进展、结转在调的案件不列入。", privacy])
    sheet.finish(freeze_columns=2)


def write_replies(path: str | Path, rows: Sequence[Sequence[Value]]) -> None:
    """工单编号, 办理结果, 回复内容, 办结时间: the header in row 1, as the platform's upload expects."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from wuye_desktop.exports.xlsx_sheet import FORMATS, HEAD_FONT, print_setup

    book = Workbook()
    ws = book.active
    ws.title = "回复"
    widths = (24, 14, 70, 18)
    for index, (header, width) in enumerate(zip(REPLY_HEADERS, widths, strict=True), 1):
        cell = ws.cell(row=1, column=index, value=header)
        cell.font = Font(name=HEAD_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, (order_no, result, reply, finished) in enumerate(rows, 2):
        ws.cell(row=number, column=1, value=order_no).number_format = FORMATS["text"]
        ws.cell(row=number, column=2, value=result)
        ws.cell(row=number, column=3, value=reply).alignment = wrap
        done = ws.cell(row=number, column=4, value=finished)
        done.number_format = "yyyy-mm-dd hh:mm" if isinstance(finished, datetime) else FORMATS["date"]
    ws.freeze_panes = "A2"
    print_setup(ws, header_row=1)
    book.save(str(path))
