"""Finding a Chinese TrueType font, the administrator's choice, and the check for rare characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_helpers import APPLICANT, NEIGHBOUR, agreement, all_text, unembedded_fonts

from wuye_desktop.errors import ValidationError
from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf import render
from wuye_desktop.exports.pdf.fontfile import read_faces

RARE = "䶮"  # CJK Extension A: WenQuanYi Zen Hei has it, WenQuanYi Micro Hei does not
MICRO_HEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
ZEN_HEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_an_installed_chinese_truetype_font_is_found() -> None:
    found = fonts.installed_fonts()
    assert found, fonts.no_font_message()
    for face in found:
        assert face.truetype_outlines
        assert face.missing(fonts.PROBE) == []


def test_the_font_file_reader_agrees_with_reportlab() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    face = read_faces(MICRO_HEI)[0]
    loaded = TTFont("MicroHeiCheck", str(MICRO_HEI), subfontIndex=0)
    for char in "人民调解协议书堃喆犇昇龑0aZ，。" + RARE:
        assert face.has(char) == (ord(char) in loaded.face.charToGlyph), char
    assert face.family == "文泉驿微米黑"


def test_a_rare_character_missing_from_the_chosen_font_is_named_with_a_font_that_has_it() -> None:
    doc = agreement(parties=(APPLICANT.__class__(**{**APPLICANT.__dict__, "name": f"王{RARE}"}), NEIGHBOUR))
    with pytest.raises(fonts.MissingGlyphsError) as caught:
        render(doc, str(MICRO_HEI))
    message = caught.value.message
    assert RARE in message and "U+4DAE" in message and "文泉驿微米黑" in message
    assert caught.value.suggestion is not None and not caught.value.suggestion.missing(RARE)
    assert caught.value.suggestion.family in message


def test_left_to_choose_the_program_takes_a_font_that_has_every_character() -> None:
    doc = agreement(parties=(APPLICANT.__class__(**{**APPLICANT.__dict__, "name": f"王{RARE}"}), NEIGHBOUR))
    rendered = render(doc)
    assert f"王{RARE}" in all_text(rendered.pdf)
    assert unembedded_fonts(rendered.pdf) == []


def test_the_administrators_font_is_used() -> None:
    assert render(agreement(), str(ZEN_HEI)).font_family == "文泉驿正黑"


@pytest.mark.parametrize(("value", "words"), [
    ("/no/such/font.ttf", "找不到字体文件"),
    (str(DEJAVU), "缺少常用汉字"),
    (f"{ZEN_HEI}#9", "编号 #9 不存在"),
])
def test_a_font_setting_that_cannot_print_chinese_is_refused(value: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        fonts.validate_font_setting("documents.font_path", value)
    assert words in caught.value.errors["documents.font_path"]


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "假字体.ttf"
    fake.write_bytes(b"this is not a font" * 100)
    with pytest.raises(ValidationError) as caught:
        fonts.validate_font_setting("documents.font_path", str(fake))
    assert "无法读取" in caught.value.message
    with pytest.raises(ValidationError):
        fonts.validate_font_setting("documents.font_path", str(tmp_path / "notes.txt"))


def test_a_good_font_setting_is_kept_and_empty_means_choose() -> None:
    assert fonts.validate_font_setting("documents.font_path", f" {ZEN_HEI} ") == str(ZEN_HEI)
    assert fonts.validate_font_setting("documents.font_path", f"{ZEN_HEI}#1") == f"{ZEN_HEI}#1"
    assert fonts.validate_font_setting("documents.font_path", "") == ""


def test_with_no_chinese_font_installed_the_message_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    fonts.installed_fonts.cache_clear()
    try:
        with pytest.raises(fonts.NoChineseFontError) as caught:
            render(agreement())
        assert "fonts-wqy-zenhei" in caught.value.message and "文书字体" in caught.value.message
    finally:
        fonts.installed_fonts.cache_clear()
