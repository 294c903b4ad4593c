"""Pieces several documents share: how a party is described, the signature lines."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from wuye_desktop.exports.pdf.data import PartyDetails
from wuye_desktop.exports.pdf.styles import FRAME_WIDTH, SIZE_S4, Sheet


def party_fields(p: PartyDetails, sheet: Sheet) -> list[list[tuple[str, str]]]:
    """The official fields of a party, line by line, each ``label：value`` (or a blank to fill in)."""
    f = sheet.field
    if p.is_person:
        lines = [
            [f("姓名", p.name), f("性别", p.gender, 2), f("民族", p.ethnicity, 3)],
            [f("年龄", f"{p.age}岁" if p.age is not None else "", 3), f("职业或职务", p.occupation, 5)],
            [f("联系方式", p.phone, 8)],
            [f("单位或住址", p.address, 16)],
        ]
    else:
        lines = [
            [f("名称", p.name)],
            [f("统一社会信用代码", p.credit_code, 10)] if p.credit_code else [],
            [f("法定代表人/负责人", p.representative, 4), f("职务", p.representative_title, 4)],
            [f("地址", p.address, 16), f("联系方式", p.phone, 8)],
        ]
    if p.agent_name:
        lines.append([f("委托代理人", p.agent_name)])
    return [line for line in lines if line]


def party_block(p: PartyDetails, sheet: Sheet) -> Flowable:
    """``申请人`` on the left, the fields beside it, wrapping under themselves (not under the label)."""
    label_width = sheet.body_size * 5
    role = sheet.para(p.role, sheet.plain)
    details = [sheet.fields_line(line) for line in party_fields(p, sheet)]
    table = Table([[role, details]], colWidths=[label_width, FRAME_WIDTH - label_width])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), sheet.font, SIZE_S4),  # else the table's own default: Helvetica, unembedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), sheet.body_size * 0.4),
    ]))
    return table


def party_line(p: PartyDetails) -> str:
    """One line for a form cell: 张三，男，汉族，45岁，退休教师，13812345678，幸福里3号楼…"""
    if p.is_person:
        bits = [p.name, p.gender, p.ethnicity, f"{p.age}岁" if p.age is not None else "", p.occupation,
                p.phone, p.address]
    else:
        rep = f"{p.representative_title or '负责人'}：{p.representative}" if p.representative else ""
        bits = [p.name, f"统一社会信用代码：{p.credit_code}" if p.credit_code else "", rep, p.phone, p.address]
    if p.agent_name:
        bits.append(f"委托代理人：{p.agent_name}")
    return "，".join(b for b in bits if b)


def signature_cell(sheet: Sheet, label: str, height: float = 12 * mm) -> list[Flowable]:
    return [sheet.para(label, sheet.cell), Spacer(1, height)]
