"""One document on its own, numbered 第X页 共Y页."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from wuye_desktop.exports.pdf import agreement, cover, oral, records, registration, visits
from wuye_desktop.exports.pdf.data import AgreementDoc, CoverDoc, RecordsDoc, RegistrationDoc, VisitsDoc
from wuye_desktop.exports.pdf.styles import SIZE_3, SIZE_4, Sheet
from wuye_desktop.exports.pdf.templates import Built, Footer, build

# An agreement longer than this many pages in 三号 is set in 四号 instead (DOMAIN.md §5 allows it).
_LONG_AGREEMENT_PAGES = 2


Single = AgreementDoc | RegistrationDoc | RecordsDoc | VisitsDoc | CoverDoc


def render(doc: Single, font: str) -> tuple[str, Built, list[str]]:
    title, make = _story_maker(doc)
    author = doc.committee.name
    sheet = Sheet(font, SIZE_3)
    built = build(make(sheet), title=title, author=author, footer=Footer(font))
    if isinstance(doc, AgreementDoc) and not doc.oral and built.pages > _LONG_AGREEMENT_PAGES:
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
