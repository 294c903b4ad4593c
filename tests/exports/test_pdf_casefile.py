"""The whole 卷宗: official order, a 目录 whose page numbers are right, attachments placed and appended."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from pdf_helpers import (
    COMMITTEE,
    agreement,
    flat,
    page_sizes,
    page_texts,
    records,
    registration,
    unembedded_fonts,
    visits,
)
from PIL import Image

from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf import render
from wuye_desktop.exports.pdf.data import AttachmentFile, CaseFileDoc, CoverDoc, FrontMatterDoc


def scanned_pdf(path: Path, pages: int) -> None:
    """A two-page 'scan' on Letter paper, its font embedded like any PDF this program writes."""
    from reportlab.pdfgen.canvas import Canvas

    font = fonts.register(fonts.installed_fonts()[0])
    canvas = Canvas(str(path), pagesize=(612, 792), initialFontName=font)
    for n in range(1, pages + 1):
        canvas.setFont(font, 20)
        canvas.drawString(72, 700, f"收款收据第{n}页")
        canvas.showPage()
    canvas.save()


def photo(path: Path) -> None:
    Image.new("RGB", (1200, 900), (200, 180, 160)).save(path, "JPEG")


def attachment(path: Path, name: str, category: str, media_type: str) -> AttachmentFile:
    return AttachmentFile(path, name, category, f"{name}的说明", media_type, date(2026, 11, 6))


def casefile(tmp_path: Path) -> CaseFileDoc:
    photo(tmp_path / "a1")
    scanned_pdf(tmp_path / "b2", 2)
    (tmp_path / "c3").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "d4").write_bytes(b"PK\x03\x04 a word file")
    cover = CoverDoc(COMMITTEE, "王建国与李喆物业纠纷（房屋漏水）", "（2026）幸福里调字第45号", "物业纠纷（房屋漏水）",
                     "申请人：王建国；被申请人：李喆", "张明、赵敏", date(2026, 11, 3), date(2026, 11, 28),
                     "调解成功，达成书面协议", "何静", date(2026, 12, 20), "长期")
    return CaseFileDoc(cover, registration(), records(), agreement(), visits(), (
        attachment(tmp_path / "a1", "漏水现场.jpg", "现场照片", "image/jpeg"),
        attachment(tmp_path / "b2", "维修收据.pdf", "证据", "application/pdf"),
        attachment(tmp_path / "c3", "坏文件.pdf", "证据", "application/pdf"),
        attachment(tmp_path / "d4", "委托书.docx", "授权委托书", "application/msword"),
        attachment(tmp_path / "missing", "丢失的照片.png", "现场照片", "image/png"),
    ))


def contents_rows(text: str) -> str:
    return text[text.index("卷内目录"):]


def test_the_case_file_is_in_the_official_order_with_a_contents_page_that_is_right(tmp_path: Path) -> None:
    rendered = render(casefile(tmp_path))
    texts = [flat(t) for t in page_texts(rendered.pdf)]
    assert "人民调解卷宗" in texts[0] and "卷号（2026）幸福里调字第45号" in texts[0]
    assert "卷内目录" in texts[1]
    order = ["人民调解受理登记表", "人民调解调查记录", "议事协商记录（民事民议）", "人民调解记录", "人民调解协议书",
             "人民调解回访记录", "附件：现场照片漏水现场.jpg", "收款收据第1页", "收款收据第2页"]
    firsts = [next(i for i, t in enumerate(texts) if name in t and "卷内目录" not in t) for name in order]
    assert firsts == sorted(firsts)
    numbered = len(texts) - 2  # the cover and the 目录 carry no page number
    for physical, text in enumerate(texts[2:], 1):
        assert f"第{physical}页共{numbered}页" in text, physical
    contents = contents_rows(texts[1])
    for name in [*order[:6], "现场照片：漏水现场.jpg"]:
        assert name in contents, name
    # Each 目录 entry gives the page its document starts on, in the numbering printed on the pages.
    registration_page = texts.index(next(t for t in texts if "人民调解受理登记表" in t and "卷内目录" not in t))
    assert f"人民调解受理登记表2026年11月2日{registration_page - 1}" in contents
    receipt = next(i for i, t in enumerate(texts) if "收款收据第1页" in t) - 1
    assert f"证据：维修收据.pdf2026年11月6日{receipt}-{receipt + 1}" in contents
    assert "证据：坏文件.pdf2026年11月6日文件无法读取" in contents
    assert "授权委托书：委托书.docx2026年11月6日电子文件，未打印" in contents
    assert any("图片文件缺失或无法读取" in t for t in texts)


def test_every_page_of_the_case_file_is_a4_with_embedded_fonts(tmp_path: Path) -> None:
    pdf = render(casefile(tmp_path)).pdf
    assert {(round(w), round(h)) for w, h in page_sizes(pdf)} == {(595, 842)}
    assert unembedded_fonts(pdf) == []


def test_the_cover_and_contents_alone_carry_the_page_numbers_of_the_whole_file(tmp_path: Path) -> None:
    doc = casefile(tmp_path)
    whole = [flat(t) for t in page_texts(render(doc).pdf)]
    front = render(FrontMatterDoc(doc))
    texts = [flat(t) for t in page_texts(front.pdf)]
    assert front.pages == 2
    assert texts[1] == whole[1]


def test_a_case_without_agreement_visits_or_attachments_still_makes_a_file(tmp_path: Path) -> None:
    doc = casefile(tmp_path)
    bare = CaseFileDoc(doc.cover, doc.registration, records(entries=()), None, None, ())
    rendered = render(bare)
    texts = [flat(t) for t in page_texts(rendered.pdf)]
    assert rendered.pages == 3
    assert "人民调解受理登记表" in texts[2]
    assert not any("人民调解协议书" in t for t in texts)
    assert io.BytesIO(rendered.pdf).getbuffer().nbytes < 200_000
