"""The 人民调解协议书 read back from the PDF: every section and value, A4, fonts embedded, long ones paged."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pdf_helpers import (
    A4,
    APPLICANT,
    CLAUSES,
    COMPANY,
    FACTS,
    NEIGHBOUR,
    agreement,
    all_text,
    flat,
    page_sizes,
    page_texts,
    unembedded_fonts,
)

from wuye_desktop.exports.pdf import render
from wuye_desktop.exports.pdf.wrap import CLOSING

SECTIONS = ["人民调解协议书", "编号：（2026）幸福里调协字第12号", "纠纷主要事实、争议事项", "经调解，自愿达成如下协议",
            "履行方式、时限", "人民调解员（签名）", "记录人（签名）", "签名盖章或按指印",
            "黄石港街道幸福里社区人民调解委员会（印章）",
            "2026年11月28日"]


def test_every_section_and_field_of_a_two_party_agreement_is_printed() -> None:
    rendered = render(agreement())
    text = all_text(rendered.pdf)
    for expected in [*SECTIONS, "本协议一式三份，当事人、人民调解委员会各持一份"]:
        assert flat(expected) in text, expected
    for party in (APPLICANT, NEIGHBOUR):
        for value in (party.name, party.gender, party.ethnicity, f"{party.age}岁", party.occupation, party.phone,
                      party.address):
            assert flat(value) in text, value
    for label in ("姓名", "性别", "民族", "年龄", "职业或职务", "联系方式", "单位或住址"):
        assert label in text
    assert flat(FACTS) in text
    for number, clause in zip(("一、", "二、", "三、"), CLAUSES, strict=True):
        assert flat(number + clause) in text
    assert "履行期限：2026年12月5日前履行完毕" in text
    assert rendered.title == "人民调解协议书"


def test_three_parties_an_organisation_among_them_make_four_copies() -> None:
    rendered = render(agreement(parties=(APPLICANT, COMPANY, NEIGHBOUR)))
    text = all_text(rendered.pdf)
    assert "本协议一式四份" in text
    for value in (COMPANY.name, "统一社会信用代码：91420200MA0000123X", "法定代表人/负责人：刘建华", "职务：总经理",
                  "地址：黄石市黄石港区幸福路88号", "委托代理人：陈律师"):
        assert flat(value) in text, value
    assert text.count("签名盖章或按指印") == 3


def test_twenty_clauses_flow_over_pages_numbered_page_x_of_y() -> None:
    clauses = tuple(f"第{n}项：被申请人应于规定期限内完成第{n}处维修并承担相应费用，双方确认无其他争议。"
                    for n in range(1, 21))
    rendered = render(agreement(clauses=clauses))
    texts = page_texts(rendered.pdf)
    assert rendered.pages == len(texts) >= 2
    for number, page in enumerate(texts, 1):
        assert flat(f"第{number}页共{rendered.pages}页") in flat(page)
    text = all_text(rendered.pdf)
    for clause in clauses:
        assert flat(clause) in text
    assert "二十、第20项" in text


def test_signatures_stay_on_one_page_with_their_labels_and_the_seal() -> None:
    clauses = tuple(f"第{n}项协议内容，写得足够长以便把签名部分推到页面底部附近，检查它不会被拆开。"
                    for n in range(1, 16))
    for count in range(5, 16):
        pdf = render(agreement(clauses=clauses[:count])).pdf
        signing = [flat(t) for t in page_texts(pdf) if "人民调解员" in flat(t)]
        assert len(signing) == 1
        for piece in ("本协议一式三份", "申请人（签名盖章或按指印）", "被申请人（签名盖章或按指印）", "记录人（签名）",
                      "（印章）", "2026年11月28日"):
            assert piece in signing[0], (count, piece)


def test_pages_are_a4_portrait_and_every_font_is_embedded() -> None:
    pdf = render(agreement(parties=(APPLICANT, COMPANY, NEIGHBOUR))).pdf
    for width, height in page_sizes(pdf):
        assert width == pytest.approx(A4[0], abs=0.5)
        assert height == pytest.approx(A4[1], abs=0.5)
    assert unembedded_fonts(pdf) == []


def test_no_printed_line_starts_with_closing_punctuation() -> None:
    facts = "，".join(f"第{n}次协商时双方各自陈述了意见（见记录）" for n in range(1, 30)) + "。"
    pdf = render(agreement(facts=facts)).pdf
    lines = [line.strip() for page in page_texts(pdf) for line in page.splitlines() if line.strip()]
    assert len(lines) > 30
    assert [line for line in lines if line[0] in CLOSING] == []


def test_what_people_typed_prints_as_typed_even_markup_characters() -> None:
    odd = replace(APPLICANT, name="张<三>&李", address="A&B栋 <临时> 地址")
    text = all_text(render(agreement(parties=(odd, NEIGHBOUR))).pdf)
    assert "张<三>&李" in text
    assert flat("A&B栋 <临时> 地址") in text


def test_missing_details_leave_a_blank_to_fill_in_rather_than_nothing() -> None:
    bare = replace(NEIGHBOUR, ethnicity="", age=None, occupation="")
    text = all_text(render(agreement(parties=(APPLICANT, bare))).pdf)
    assert "民族：____" in text
    assert "年龄：____" in text


def test_an_oral_agreement_prints_as_the_oral_agreement_register() -> None:
    rendered = render(agreement(oral=True))
    text = all_text(rendered.pdf)
    assert rendered.title == "人民调解口头协议登记表"
    for expected in ("人民调解口头协议登记表", "当事人", "纠纷简要情况", "协议内容", "履行方式、时限", "当事人签名",
                     "人民调解员（签名）", "记录人（签名）", "（2026）幸福里调协字第12号",
                     "楼上卫生间漏水致楼下天花板受损",
                     *(flat(c) for c in CLAUSES), APPLICANT.phone, NEIGHBOUR.address):
        assert expected in text, expected
    assert rendered.pages == 1
