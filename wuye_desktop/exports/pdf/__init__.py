"""The documents clerks print, as PDF: plain data in (``data.py``), bytes out.

``render(doc)`` picks the font (``exports/fonts.py``), checks every character
has a glyph in it, lays the document out on A4 and returns the PDF. Each
document has its own module; ReportLab is imported only when one is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from wuye_desktop.exports.pdf.data import (
    AgreementDoc,
    CaseFileDoc,
    CoverDoc,
    Document,
    FrontMatterDoc,
    RecordsDoc,
    RegistrationDoc,
    VisitsDoc,
    texts_of,
)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    title: str
    font_family: str


def render(doc: Document, font_setting: str = "") -> Rendered:
    """The document as PDF; raises a DomainError when no font can print every character of it."""
    from wuye_desktop.exports import fonts

    chars = fonts.printable("".join(texts_of(doc)))
    chosen = fonts.choose(chars, font_setting)
    font = fonts.register(chosen.face)
    title, pdf, pages, used = _render_with(doc, font)
    label_chars = fonts.printable("".join(used)) - chars
    fonts.check(chosen, label_chars)
    return Rendered(pdf, pages, title, chosen.family)


def _render_with(doc: Document, font: str) -> tuple[str, bytes, int, list[str]]:
    if isinstance(doc, CaseFileDoc | FrontMatterDoc):
        from wuye_desktop.exports.pdf import casefile

        if isinstance(doc, FrontMatterDoc):
            built, texts = casefile.render_front(doc.casefile, font)
            return "人民调解卷宗封面及卷内目录", built.pdf, built.pages, texts
        built, texts = casefile.render(doc, font)
        return casefile.TITLE, built.pdf, built.pages, texts
    from wuye_desktop.exports.pdf import single

    title, built, texts = single.render(doc, font)
    return title, built.pdf, built.pages, texts


__all__ = [
    "AgreementDoc",
    "CaseFileDoc",
    "CoverDoc",
    "FrontMatterDoc",
    "RecordsDoc",
    "RegistrationDoc",
    "Rendered",
    "VisitsDoc",
    "render",
]
