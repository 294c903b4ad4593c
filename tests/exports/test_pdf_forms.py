"""登记表, 调解记录, 回访记录 and 卷宗封面 read back: every field, blank forms, long answers, widths."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from pdf_helpers import (
    APPLICANT,
    COMMITTEE,
    COMPANY,
    FACTS,
    INVESTIGATION,
    SESSION,
    STEP,
    VISIT,
    all_text,
    flat,
    page_sizes,
    page_texts,
    records,
    registration,
    unembedded_fonts,
    visits,
)
from reportlab.platypus import Table

from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf import records as records_module
from wuye_desktop.exports.pdf import registration as registration_module
from wuye_desktop.exports.pdf import render
from wuye_desktop.exports.pdf import visits as visits_module
from wuye_desktop.exports.pdf.data import CoverDoc
from wuye_desktop.exports.pdf.styles import FRAME_HEIGHT, FRAME_WIDTH, Sheet


def test_registration_form_has_every_field() -> None:
    rendered = render(registration())
    text = all_text(rendered.pdf)
    for value in ("人民调解受理登记表", "（2026）幸福里调字第45号", "登记日期", "2026年11月2日", "受理日期",
                  "2026年11月3日", "12345热线工单（GD2026110200012）", "物业纠纷（房屋漏水）", "幸福里小区3号楼",
                  "涉及金额", "1200.00元",
                  "2人", "纠纷简要情况", "楼上卫生间漏水致楼下天花板受损", flat(FACTS), "承办调解员", "张明、赵敏",
                  "当事人签名", "登记人（签名）", "王晓燕", COMMITTEE.name, APPLICANT.name, APPLICANT.phone,
                  flat(APPLICANT.address), COMPANY.name, COMPANY.credit_code):
        assert value in text, value
    assert rendered.pages == 1
    assert unembedded_fonts(rendered.pdf) == []


def test_records_come_one_form_each_in_the_order_held() -> None:
    rendered = render(records())
    texts = [flat(t) for t in page_texts(rendered.pdf)]
    assert rendered.pages == 3
    assert "人民调解调查记录" in texts[0] and "现场查看漏水情况" in texts[0]
    assert "议事协商记录（民事民议）" in texts[1]
    for value in ("应到8人，实到7人", "讨论漏水责任分担", "由1201室负责修复", "在楼栋公示栏公示", "无异议", "会议"):
        assert value in texts[1], value
    assert "人民调解记录" in texts[2]
    for value in ("2026年11月10日9时30分", "社区党群服务中心调解室", "张明、赵敏、何静", "已告知当事人人民调解的性质",
                  "申请人称天花板受损，要求赔偿。", "漏水点位于1201室卫生间", "双方同意由被申请人修复并赔偿", "何静",
                  "当事人（签名）", "调解员（签名）"):
        assert value in texts[2], value


def test_no_records_yet_gives_a_blank_record_form_with_the_case_filled_in() -> None:
    rendered = render(records(entries=()))
    text = all_text(rendered.pdf)
    assert rendered.pages == 1
    for value in ("人民调解记录", "（2026）幸福里调字第45号", "楼上卫生间漏水致楼下天花板受损",
                  "申请人：王建国；被申请人：李喆",
                  "年", "月", "日", "时", "分", "当事人陈述", "调解结果"):
        assert value in text, value


def test_a_very_long_statement_continues_on_the_next_page() -> None:
    long_record = replace(SESSION, statements="申请人陈述：" + "楼上卫生间长期漏水，多次找物业未果。" * 250)
    rendered = render(records(entries=(long_record,)))
    texts = page_texts(rendered.pdf)
    assert rendered.pages >= 3
    assert all(len(flat(text)) > len(f"第{rendered.pages}页共{rendered.pages}页") for text in texts)  # no empty page
    body = re.sub(r"第\d+页共\d+页", "", all_text(rendered.pdf))
    assert flat(long_record.statements) in body
    assert "双方同意由被申请人修复并赔偿" in body


def test_return_visit_record_and_its_blank_form() -> None:
    text = all_text(render(visits()).pdf)
    for value in ("人民调解回访记录", "（2026）幸福里调协字第12号", "2026年12月10日", "上门", "已履行", "满意",
                  "是否起诉", "否", "无需采取措施", "回访顺利", "回访人（签名）", "张明"):
        assert value in text, value
    blank = all_text(render(visits(entries=())).pdf)
    for value in ("□已履行", "□满意", "□电话", "（2026）幸福里调协字第12号"):
        assert value in blank, value


def test_case_file_cover_has_every_field() -> None:
    cover = CoverDoc(COMMITTEE, "王建国与李喆物业纠纷（房屋漏水）", "（2026）幸福里调字第45号", "物业纠纷（房屋漏水）",
                     "申请人：王建国；被申请人：李喆", "张明、赵敏", date(2026, 11, 3), date(2026, 11, 28),
                     "调解成功，达成书面协议（（2026）幸福里调协字第12号）", "何静", date(2026, 12, 20), "长期")
    text = all_text(render(cover).pdf)
    for value in ("人民调解卷宗", "卷名", "王建国与李喆物业纠纷（房屋漏水）", "卷号", "调解员", "张明、赵敏",
                  "2026年11月3日至2026年11月28日", "立卷人", "何静", "立卷日期", "2026年12月20日", "保管期限", "长期"):
        assert value in text, value


@pytest.mark.parametrize("make", [
    lambda sheet: registration_module.story(registration(parties=(APPLICANT, COMPANY) * 3), sheet),
    lambda sheet: records_module.story(records(), sheet),
    lambda sheet: visits_module.story(visits(), sheet),
])
def test_tables_are_never_wider_than_the_text_block(make) -> None:  # type: ignore[no-untyped-def]
    font = fonts.register(fonts.installed_fonts()[0])
    tables = [f for f in make(Sheet(font)) if isinstance(f, Table)]
    assert tables
    for table in tables:
        width, _height = table.wrap(FRAME_WIDTH, FRAME_HEIGHT)
        assert width <= FRAME_WIDTH + 0.01


def test_every_form_is_a4_and_embeds_its_font() -> None:
    for doc in (registration(), records(), visits(), visits(entries=(VISIT, VISIT)), records(entries=(STEP,)),
                records(entries=(INVESTIGATION,))):
        pdf = render(doc).pdf
        assert {(round(w), round(h)) for w, h in page_sizes(pdf)} == {(595, 842)}
        assert unembedded_fonts(pdf) == []
