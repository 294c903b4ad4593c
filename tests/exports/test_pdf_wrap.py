"""Chinese line breaking: no closing mark starts a line, no opening mark ends one, numbers stay whole."""

from __future__ import annotations

import random

import pytest
from reportlab.lib.styles import ParagraphStyle

from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf.wrap import CLOSING, OPENING, CJKParagraph, choose_break


@pytest.fixture(scope="module")
def style() -> ParagraphStyle:
    font = fonts.register(fonts.installed_fonts()[0])
    return ParagraphStyle("t", fontName=font, fontSize=12, leading=18, wordWrap="CJK")


def lines_of(text: str, style: ParagraphStyle, width: float) -> list[str]:
    paragraph = CJKParagraph(text, style)
    paragraph.wrap(width, 10_000)
    return ["".join(frag.text for frag in line.words) for line in paragraph.blPara.lines]


def test_a_comma_that_would_start_a_line_takes_the_character_before_it_along(style: ParagraphStyle) -> None:
    text = "一二三四五六七八九十，之后的文字"
    lines = lines_of(text, style, 12 * 10 + 1)  # room for exactly ten characters
    assert lines[0] == "一二三四五六七八九"
    assert lines[1].startswith("十，")


def sentence(rng: random.Random) -> str:
    """Text as clerks write it: words, numbers, punctuation after them, brackets and quotes around them."""
    words = ["漏水", "天花板", "物业公司", "维修", "13812345678", "1200元", "业主委员会", "楼上", "A栋", "赔偿"]
    out = []
    for _ in range(40):
        word = rng.choice(words)
        wrap = rng.random()
        if wrap < 0.1:
            word = f"（{word}）"
        elif wrap < 0.2:
            word = f"《{word}》"
        elif wrap < 0.3:
            word = f"“{word}”"
        out.append(word + (rng.choice("，。、；：？！") if rng.random() < 0.45 else ""))
    return "".join(out)


def test_random_text_never_breaks_against_the_rules(style: ParagraphStyle) -> None:
    rng = random.Random(7)
    for _ in range(80):
        text = sentence(rng)
        for width in (90, 143, 200, 311):
            lines = lines_of(text, style, width)
            assert "".join(lines) == text
            for line in lines[1:]:
                assert line[0] not in CLOSING, (width, lines)
            for line in lines[:-1]:
                assert line[-1] not in OPENING, (width, lines)


def test_a_phone_number_is_not_cut_in_two(style: ParagraphStyle) -> None:
    lines = lines_of("联系电话是13812345678请回电", style, 12 * 8)
    assert any("13812345678" in line for line in lines)


def test_a_word_longer_than_the_line_is_still_cut_rather_than_running_off(style: ParagraphStyle) -> None:
    lines = lines_of("A" * 200, style, 100)
    assert len(lines) > 1 and "".join(lines) == "A" * 200


def test_break_choice_on_its_own() -> None:
    assert choose_break("甲乙丙，丁", 0, 3) == 2
    assert choose_break("甲乙（丙丁", 0, 3) == 2
    assert choose_break("甲乙123456", 0, 5) == 2
    assert choose_break("，，，，，，，，，甲", 0, 8) == 9  # punctuation all the way: hang it instead
