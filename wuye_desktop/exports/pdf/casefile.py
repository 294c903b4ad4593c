"""The whole 卷宗 as one PDF, in the official order.

Cover, 卷内目录, 受理登记表, the records (investigations, consultation steps
and mediation sessions, as held), the agreement, the return visits, then
the attachments: images placed on pages of their own, PDFs appended page
by page (fitted to A4). Pages after the 目录 are numbered through the whole
file, appended PDFs included, and the 目录 gives each document's pages; the
layout runs twice so the 目录 can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, PageBreak

from wuye_desktop.exports.pdf import agreement, cover, oral, records, registration, visits
from wuye_desktop.exports.pdf.attachments import PdfPart, append_pdfs, image_page, read_pdf
from wuye_desktop.exports.pdf.cover import ContentsEntry
from wuye_desktop.exports.pdf.data import AttachmentFile, CaseFileDoc, StepRecord
from wuye_desktop.exports.pdf.styles import SIZE_3, Sheet, cn_date
from wuye_desktop.exports.pdf.templates import Built, Footer, build

TITLE = cover.TITLE
_MAX_PASSES = 4


class Marker(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Takes no room; tells the layout on which page a document starts."""

    def __init__(self, key: int) -> None:
        super().__init__()
        self.key = key

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass
class _Section:
    name: str
    day: str
    flowables: list[Flowable]


@dataclass
class _Layout:
    built: Built
    texts: list[str]
    first: int  # physical page numbered 1
    entries: list[ContentsEntry]
    pdfs: list[PdfPart] = field(default_factory=list)


def render(doc: CaseFileDoc, font: str) -> tuple[Built, list[str]]:
    layout = _lay_out(doc, font)
    appended = sum(p.pages for p in layout.pdfs)
    if not appended:
        return layout.built, layout.texts
    numbered_before = layout.built.pages - layout.first + 1
    pdf = append_pdfs(layout.built.pdf, layout.pdfs, font, numbered_before, numbered_before + appended)
    return Built(pdf, layout.built.pages + appended), layout.texts


def render_front(doc: CaseFileDoc, font: str) -> tuple[Built, list[str]]:
    """Only the cover and the 目录, with the page numbers the whole file has."""
    layout = _lay_out(doc, font)
    sheet = Sheet(font, SIZE_3)
    story = [*cover.story(doc.cover, sheet), PageBreak(), *cover.contents(layout.entries, sheet)]
    built = build(story, title=f"{TITLE}封面及卷内目录", author=doc.cover.committee.name,
                  footer=Footer(font, first=10_000))
    return built, sheet.texts


def _lay_out(doc: CaseFileDoc, font: str) -> _Layout:
    pdfs = [read_pdf(a) for a in doc.attachments if a.is_pdf and not a.is_image]
    appended = sum(p.pages for p in pdfs)
    starts: dict[int, int] = {}
    first_guess, pages_before = 3, 0
    for _ in range(_MAX_PASSES):
        sheet = Sheet(font, SIZE_3)
        sections = _sections(doc, sheet)
        marks: dict[int, int] = {}
        entries = _entries(doc, sections, pdfs, starts, first_guess, pages_before)
        story: list[Flowable] = [*cover.story(doc.cover, sheet), PageBreak(), *cover.contents(entries, sheet)]
        for key, section in enumerate(sections):
            story += [PageBreak(), Marker(key), *section.flowables]

        def note(flowable: Flowable, page: int, marks: dict[int, int] = marks) -> None:
            if isinstance(flowable, Marker):
                marks[flowable.key] = page

        built = build(story, title=f"{TITLE}（{doc.cover.case_number}）", author=doc.cover.committee.name,
                      footer=Footer(font, first=first_guess, extra=appended), on_flowable=note)
        first = marks.get(0, built.pages + 1)
        if marks == starts and first == first_guess and built.pages == pages_before:
            return _Layout(built, sheet.texts, first, entries, pdfs)
        starts, first_guess, pages_before = marks, first, built.pages
    raise RuntimeError("卷内目录的页码无法确定")  # a layout that never settles is a bug, not a user error


def _sections(doc: CaseFileDoc, sheet: Sheet) -> list[_Section]:
    out = [_Section(registration.TITLE, cn_date(doc.registration.registered_on),
                    registration.story(doc.registration, sheet))]
    for entry in doc.records.entries:
        name = records.entry_title(entry)
        if isinstance(entry, StepRecord):
            name += f"（{entry.step_name}）"
        out.append(_Section(name, cn_date(entry.held_at), records.entry_story(doc.records, entry, sheet)))
    if doc.agreement is not None:
        module: Any = oral if doc.agreement.oral else agreement
        out.append(_Section(module.TITLE, cn_date(doc.agreement.signed_on), module.story(doc.agreement, sheet)))
    if doc.visits is not None:
        for visit in doc.visits.visits:
            out.append(_Section(visits.TITLE, cn_date(visit.visited_on), visits.visit_story(doc.visits, visit, sheet)))
    for attachment in doc.attachments:
        if attachment.is_image:
            out.append(_Section(_attachment_name(attachment), cn_date(attachment.added_on, ""),
                                image_page(attachment, sheet)))
    return out


def _attachment_name(a: AttachmentFile) -> str:
    return f"{a.category or '附件'}：{a.file_name}"


def _entries(doc: CaseFileDoc, sections: list[_Section], pdfs: list[PdfPart], starts: dict[int, int],
             first: int, main_pages: int) -> list[ContentsEntry]:
    """The 目录 rows; page numbers from the last layout (placeholders on the first)."""
    def numbered(physical: int) -> int:
        return physical - first + 1

    entries = []
    for key, section in enumerate(sections):
        start = starts.get(key)
        end = starts.get(key + 1, (main_pages + 1) if main_pages else None)
        if start is None or end is None:
            pages = "00"
        else:
            last = max(start, end - 1)
            pages = str(numbered(start)) if last == start else f"{numbered(start)}-{numbered(last)}"
        entries.append(ContentsEntry(section.name, section.day, pages))
    after = numbered(main_pages) if main_pages else 0
    for part in pdfs:
        name = _attachment_name(part.attachment)
        day = cn_date(part.attachment.added_on, "")
        if not part.pages:
            entries.append(ContentsEntry(name, day, "", part.error))
            continue
        pages = str(after + 1) if part.pages == 1 else f"{after + 1}-{after + part.pages}"
        entries.append(ContentsEntry(name, day, pages if main_pages else "00"))
        after += part.pages
    for a in doc.attachments:
        if not a.is_image and not a.is_pdf:
            entries.append(ContentsEntry(_attachment_name(a), cn_date(a.added_on, ""), "", "电子文件，未打印"))
    return entries


__all__ = ["TITLE", "render", "render_front"]
