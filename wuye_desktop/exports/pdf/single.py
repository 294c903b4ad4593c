"""One document on its own, numbered 第X页 共Y页."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from wuye_desktop.exports.pdf import agreement, cover, oral, records, registration, visits
from wuye_desktop.exports.pdf.data import AgreementDoc, CoverDoc, RecordsDoc, RegistrationDoc, VisitsDoc
from wuye_desktop.exports.pdf.styles import FRAME_WIDTH, SIZE_3, SIZE_4, Sheet
from wuye_desktop.exports.pdf.templates import Built, Footer, build

# An agreement longer than this many pages in 三号 is set in 四号 instead (DOMAIN.md §5 allows it).
_LONG_AGREEMENT_PAGES = 2
_LINES_PER_PAGE = 22  # 三号 on the GB/T 9704 text block


def _estimated_lines(doc: Single, size: float) -> int:
    """Roughly how many lines an agreement takes: party blocks, texts, and the signing block."""
    assert isinstance(doc, AgreementDoc)
    per_line = int(FRAME_WIDTH / size)
    texts = [*doc.facts.splitlines(), *doc.clauses, *doc.performance.splitlines()]
    lines = sum(-(-(len(text) + 2) // per_line) for text in texts if text.strip())
    lines += sum(5 if p.is_person else 5 + bool(p.credit_code) for p in doc.parties)
    signing = 3 * (-(-len(doc.parties) // 2) + 1) + 5  # rows of two signatures, the seal and date
    return lines + 8 + signing  # title, number, headings, copies and effect


Single = AgreementDoc | RegistrationDoc | RecordsDoc | VisitsDoc | CoverDoc


def render(doc: Single, font: str) -> tuple[str, Built, list[str]]:
    title, make = _story_maker(doc)
    author = doc.committee.name
    written = isinstance(doc, AgreementDoc) and not doc.oral
    if written and _estimated_lines(doc, SIZE_3) > _LONG_AGREEMENT_PAGES * _LINES_PER_PAGE:
        # Clearly too long for 三号: lay it out once, in 四号, instead of twice.
        smaller = Sheet(font, SIZE_4)
        return title, build(make(smaller), title=title, author=author, footer=Footer(font)), smaller.texts
    sheet = Sheet(font, SIZE_3)
    built = build(make(sheet), title=title, author=author, footer=Footer(font))
    if written and built.pages > _LONG_AGREEMENT_PAGES:
        smaller = Sheet(font, SIZE_4)
        second = build(make(smaller), title=title, author=author, footer=Footer(font))
        if second.pages < built.pages:
            return title, second, smaller.texts
    return title, built, sheet.texts


def _story_maker(doc: Single) -> tuple[str, Callable[[Sheet], list[Flowable]]]:
    if isinstance(doc, AgreementDoc):
        if doc.oral:
            return oral.TITLE, lambda sheet: oral.story(doc, sheet)
        return agreement.TITLE, lambda sheet: agreement.story(doc, sheet)
    if isinstance(doc, RegistrationDoc):
        return registration.TITLE, lambda sheet: registration.story(doc, sheet)
    if isinstance(doc, RecordsDoc):
        return records.title_of(doc), lambda sheet: records.story(doc, sheet)
    if isinstance(doc, VisitsDoc):
        return visits.TITLE, lambda sheet: visits.story(doc, sheet)
    return cover.TITLE, lambda sheet: cover.story(doc, sheet)
