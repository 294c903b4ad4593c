"""The papers a clerk prints for a case: gathered here, typeset by ``exports/pdf``.

Everything a document needs is read in one short session into the plain
frozen dataclasses of ``exports/pdf/data.py``; the writers never see the
database. A signed agreement shows the parties as they were when it was
signed (``CaseParty.snapshot``): they signed those details. Every preview,
print and saved file is written to the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wuye_desktop.errors import DomainError, NotFoundError, StorageError
from wuye_desktop.exports.pdf.data import (
    AgreementDoc,
    AttachmentFile,
    CaseFileDoc,
    CommitteeInfo,
    CoverDoc,
    Document,
    FrontMatterDoc,
    PartyDetails,
    RecordsDoc,
    RegistrationDoc,
    SessionRecord,
    StepRecord,
    VisitEntry,
    VisitsDoc,
)
from wuye_desktop.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Assignment,
    Attachment,
    CaseParty,
    CaseStatus,
    MediationCase,
    MediationRecord,
    PartyKind,
    PartyRole,
    RecordKind,
)
from wuye_desktop.services import audit, cases, outputs, settings
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.storage.paths import safe_file_name

# kind -> the title on the print menu
KINDS: dict[str, str] = {
    "agreement": "人民调解协议书",
    "oral_agreement": "人民调解口头协议登记表",
    "registration": "人民调解受理登记表",
    "session_record": "调解记录",
    "visit_record": "人民调解回访记录",
    "cover": "卷宗封面及卷内目录",
    "casefile": "人民调解卷宗（全卷）",
}


@dataclass(frozen=True)
class PrintedDocument:
    """A document ready to show, print or save."""

    kind: str
    case_id: int
    case_number: str
    number: str  # the document's own number (an agreement's), else the case number
    title: str
    pdf: bytes
    pages: int
    font_family: str

    @property
    def file_name(self) -> str:
        """A file name Windows accepts: 人民调解协议书（2026）幸福里调协字第12号.pdf."""
        return safe_file_name(re.sub(r"\s+", "_", f"{self.title}{self.number}"), ".pdf")


# -- what callers use ------------------------------------------------------------------


@requires(Permission.PRINT)
def resolve_case(ctx: Context, reference: str) -> int:
    """A case by its number or id, or by the number of its agreement."""
    try:
        return cases.find(ctx, reference).id
    except NotFoundError:
        with ctx.db.reading() as session:
            case_id = session.scalar(select(Agreement.case_id).where(Agreement.number == reference.strip()))
        if case_id is None:
            raise
        return case_id


@requires(Permission.PRINT)
def gather(ctx: Context, kind: str, case_id: int) -> Document:
    """Everything the document shows, as plain data."""
    if kind not in KINDS:
        raise DomainError(f"没有名为“{kind}”的文书，可打印：{'、'.join(KINDS.values())}")
    retention = str(settings.get(ctx, RETENTION))
    with ctx.db.reading() as session:
        case = _load(session, case_id)
        return _Gatherer(ctx, session, case, retention).document(kind)


@requires(Permission.PRINT)
def prepare(ctx: Context, kind: str, case_id: int) -> PrintedDocument:
    """The document for the preview; the preview shows personal data, so it is audited."""
    printed = _render(ctx, kind, case_id)
    _audit(ctx, printed, "预览")
    return printed


@requires(Permission.PRINT)
def save(ctx: Context, printed: PrintedDocument, target: Path, *, replace: bool = False) -> Path:
    """Write the PDF (whole or not at all) and record who saved what where.

    ``replace``: the user agreed to replace a file already there (never the register, see ``outputs``).
    """
    path = outputs.check(ctx, target, outputs.PDF, replace=replace)
    _write(printed.pdf, path)
    _audit(ctx, printed, "保存PDF", file=path.name)
    return path


@requires(Permission.PRINT)
def record_printed(ctx: Context, printed: PrintedDocument, printer: str, copies: int = 1) -> None:
    _audit(ctx, printed, "打印", printer=printer, copies=copies)


@requires(Permission.PRINT)
def write_pdf(ctx: Context, kind: str, case_id: int, target: Path, *, replace: bool = False) -> PrintedDocument:
    """Render and save in one step (the command line and batch work); ``replace`` as for ``save``."""
    path = outputs.check(ctx, target, outputs.PDF, replace=replace)
    printed = _render(ctx, kind, case_id)
    _write(printed.pdf, path)
    _audit(ctx, printed, "保存PDF", file=path.name)
    return printed


# -- rendering, writing, audit ----------------------------------------------------------


def _render(ctx: Context, kind: str, case_id: int) -> PrintedDocument:
    from wuye_desktop.exports.pdf import render

    doc = gather(ctx, kind, case_id)
    rendered = render(doc, str(settings.get(ctx, FONT_PATH)))
    case_number, number = _numbers(doc)
    return PrintedDocument(kind, case_id, case_number, number, rendered.title, rendered.pdf, rendered.pages,
                           rendered.font_family)


def _numbers(doc: Document) -> tuple[str, str]:
    if isinstance(doc, AgreementDoc):
        return doc.case_number, doc.number
    if isinstance(doc, FrontMatterDoc):
        return doc.casefile.cover.case_number, doc.casefile.cover.case_number
    if isinstance(doc, CaseFileDoc):
        return doc.cover.case_number, doc.cover.case_number
    return doc.case_number, doc.case_number


def _write(pdf: bytes, target: Path) -> None:
    try:
        outputs.write_bytes(target, pdf)
    except DomainError as exc:  # the folder full, unplugged, the file open in a PDF reader
        raise StorageError(exc.message) from exc


def _audit(ctx: Context, printed: PrintedDocument, how: str, **extra: object) -> None:
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "print", "case", printed.case_id,
                     {"document": printed.title, "number": printed.number, "pages": printed.pages,
                      "how": how, **extra})


# -- gathering -----------------------------------------------------------------------


FONT_PATH = settings.DOCUMENT_FONT
RETENTION = settings.DOCUMENT_RETENTION


def _load(session: Session, case_id: int) -> MediationCase:
    case = session.scalar(
        select(MediationCase).where(MediationCase.id == case_id).options(
            selectinload(MediationCase.parties).selectinload(CaseParty.party),
            selectinload(MediationCase.assignments).selectinload(Assignment.mediator),
            selectinload(MediationCase.agreements).selectinload(Agreement.clauses),
            selectinload(MediationCase.steps), selectinload(MediationCase.visits),
            selectinload(MediationCase.events),
        ))
    if case is None:
        raise NotFoundError(f"找不到编号为 {case_id} 的案件，可能已被删除")
    return case


class _Gatherer:
    def __init__(self, ctx: Context, session: Session, case: MediationCase, retention: str) -> None:
        self.ctx, self.session, self.case, self.retention = ctx, session, case, retention
        c = case.committee
        self.committee = CommitteeInfo(c.name, c.seal_text or f"{c.name}（印章）", c.address, c.phone)
        self.matter = case.summary

    def document(self, kind: str) -> Document:
        if kind in ("agreement", "oral_agreement"):
            agreement = self.signed_agreement(required_for=KINDS[kind])
            if kind == "oral_agreement" and agreement.kind is not AgreementKind.ORAL:
                raise DomainError(f"案件 {self.case.number} 达成的是书面协议，请打印人民调解协议书")
            return self.agreement(agreement, oral=kind == "oral_agreement")
        if kind == "registration":
            return self.registration()
        if kind == "session_record":
            return self.records()
        if kind == "visit_record":
            return self.visits(self.signed_agreement(required_for=KINDS[kind]))
        casefile = self.casefile()
        return FrontMatterDoc(casefile) if kind == "cover" else casefile

    # -- pieces --------------------------------------------------------------------

    def latest_signed(self) -> Agreement | None:
        signed = [a for a in self.case.agreements if a.status is AgreementStatus.SIGNED and a.number]
        return max(signed, key=lambda a: (a.signed_on or date.min, a.id)) if signed else None

    def signed_agreement(self, required_for: str) -> Agreement:
        agreement = self.latest_signed()
        if agreement is None:
            raise DomainError(f"案件 {self.case.number} 还没有签署生效的调解协议，无法打印{required_for}。"
                              "请先在案件中签署协议。")
        return agreement

    def party(self, cp: CaseParty, on: date | None, frozen: bool) -> PartyDetails:
        data: dict[str, Any] = dict(cp.snapshot) if frozen and cp.snapshot else _current(cp)
        kind = PartyKind(data.get("kind") or PartyKind.PERSON.value)
        birth = data.get("birth_date")
        age = data.get("age")
        if birth:
            born = date.fromisoformat(birth) if isinstance(birth, str) else birth
            day = on or self.ctx.today()
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        person = kind is PartyKind.PERSON
        return PartyDetails(
            role=PartyRole(data.get("role") or cp.role.value).label, is_person=person,
            name=str(data.get("name") or ""), gender=str(data.get("gender") or ""),
            ethnicity=str(data.get("ethnicity") or ""), age=age if isinstance(age, int) else None,
            occupation=str(data.get("occupation") or ""), phone=str(data.get("phone") or ""),
            address=str(data.get("address") or ""),
            credit_code="" if person else str(data.get("id_number") or ""),
            representative=str(data.get("representative") or ""),
            representative_title=str(data.get("representative_title") or ""),
            agent_name=str(data.get("agent_name") or ""),
        )

    def parties(self, on: date | None, frozen: bool = False) -> tuple[PartyDetails, ...]:
        return tuple(self.party(cp, on, frozen) for cp in self.case.parties)

    def parties_line(self) -> str:
        return "；".join(f"{cp.role.label}：{cp.party.name}" for cp in self.case.parties)

    def mediators(self) -> str:
        names = [a.mediator.name for a in self.case.assignments if a.recused_at is None]
        return "、".join(dict.fromkeys(names))

    def dispute_type(self) -> str:
        label = f"{self.case.official_type.label}纠纷"
        subtype = self.case.subtype.name if self.case.subtype else ""
        return f"{label}（{subtype}）" if subtype and subtype != label else label

    # -- documents ------------------------------------------------------------------

    def agreement(self, a: Agreement, oral: bool = False) -> AgreementDoc:
        signed_on = a.signed_on or (a.signed_at.date() if a.signed_at else self.ctx.today())
        return AgreementDoc(
            committee=self.committee, number=a.number or "", case_number=self.case.number,
            oral=oral, parties=self.parties(signed_on, frozen=True), facts=a.facts or self.case.facts,
            clauses=tuple(c.text for c in a.clauses), performance=a.performance,
            performance_deadline=a.performance_deadline, mediators=a.mediator_names or self.mediators(),
            recorder=a.recorder, signed_on=signed_on, matter=self.matter,
        )

    def registration(self) -> RegistrationDoc:
        c = self.case
        source = c.source.label + (f"（{c.source_ref}）" if c.source_ref else "")
        place = "".join(x.name for x in (c.estate, c.building) if x is not None)
        return RegistrationDoc(
            committee=self.committee, case_number=c.number, registered_on=c.registered_on,
            accepted_on=c.accepted_on, source=source, dispute_type=self.dispute_type(), place=place,
            property_company=c.property_company.name if c.property_company else "",
            parties=self.parties(c.registered_on), summary=c.summary, facts=c.facts,
            amount=f"{c.amount:.2f}元" if c.amount is not None else "", people_count=c.people_count,
            registrar=c.registrar, mediators=self.mediators(), status=c.status.label,
        )

    def records(self) -> RecordsDoc:
        rows = self.session.scalars(select(MediationRecord).where(MediationRecord.case_id == self.case.id))
        entries: list[SessionRecord | StepRecord] = [
            SessionRecord(r.kind is RecordKind.INVESTIGATION, r.held_at, r.place, r.matter, r.participants,
                          r.parties_present, r.rights_told, r.statements, r.findings, r.outcome, r.recorder)
            for r in rows]
        entries += [
            StepRecord(s.step_name, s.held_at, s.form.label, s.place, s.expected_count, s.present_count,
                       s.participants, s.content, s.decision, s.publicity, s.supervision, s.recorder)
            for s in self.case.steps]
        entries.sort(key=lambda e: e.held_at)
        return RecordsDoc(self.committee, self.case.number, self.matter, self.parties_line(), tuple(entries))

    def visits(self, agreement: Agreement) -> VisitsDoc:
        entries = tuple(
            VisitEntry(v.visited_on, v.visitor, v.method, v.visited_parties, v.performance.label,
                       v.satisfaction.label if v.satisfaction else "", v.lawsuit, v.measures, v.notes)
            for v in self.case.visits if v.agreement_id in (None, agreement.id))
        return VisitsDoc(self.committee, self.case.number, agreement.number or "", self.matter,
                         self.parties_line(), entries)

    def cover(self, agreement: Agreement | None) -> CoverDoc:
        c = self.case
        applicants = "、".join(cp.party.name for cp in c.parties if cp.role is PartyRole.APPLICANT)
        others = "、".join(cp.party.name for cp in c.parties if cp.role is not PartyRole.APPLICANT)
        title = f"{applicants}与{others}{self.dispute_type()}" if others else f"{applicants}{self.dispute_type()}"
        closers = [e.actor for e in c.events if e.action == "close"]
        return CoverDoc(
            committee=self.committee, title=title, case_number=c.number, dispute_type=self.dispute_type(),
            parties=self.parties_line(), mediators=self.mediators() or (agreement.mediator_names if agreement else ""),
            started_on=c.accepted_on, ended_on=c.concluded_on or c.closed_on, outcome=self.outcome(agreement),
            filed_by=closers[-1] if closers else self.ctx.actor, filed_on=c.closed_on or self.ctx.today(),
            retention=self.retention,
        )

    def outcome(self, agreement: Agreement | None) -> str:
        c = self.case
        if agreement is not None:
            return f"调解成功，达成{agreement.kind.label}，编号{agreement.number}"
        if c.status is CaseStatus.REFUSED or c.refusal_reason:
            return f"不予受理：{c.refusal_reason}" if c.refusal_reason else "不予受理"
        if c.referred_to:
            return f"转办{c.referred_to}"
        if c.termination_reason:
            return f"调解终止：{c.termination_reason}"
        return c.status.label

    def attachments(self) -> tuple[AttachmentFile, ...]:
        paths = self.ctx.db.paths
        rows = self.session.scalars(select(Attachment).where(Attachment.case_id == self.case.id)
                                    .order_by(Attachment.id))
        root = paths.attachments if paths is not None else Path("/nonexistent")
        return tuple(
            AttachmentFile(root / a.sha256[:2] / a.sha256, a.file_name, a.category, a.description,
                           a.media_type, a.created_at.date() if a.created_at else None)
            for a in rows)

    def casefile(self) -> CaseFileDoc:
        agreement = self.latest_signed()
        return CaseFileDoc(
            cover=self.cover(agreement), registration=self.registration(), records=self.records(),
            agreement=self.agreement(agreement, oral=agreement.kind is AgreementKind.ORAL) if agreement else None,
            visits=self.visits(agreement) if agreement else None, attachments=self.attachments(),
        )


def _current(cp: CaseParty) -> dict[str, Any]:
    """The party's details as they are now (cases whose agreement is not signed have no snapshot)."""
    p = cp.party
    return {"role": cp.role.value, "kind": p.kind.value, "name": p.name, "gender": p.gender,
            "ethnicity": p.ethnicity, "birth_date": p.birth_date, "age": p.age, "occupation": p.occupation,
            "phone": p.phone, "id_number": p.id_number, "address": p.address,
            "representative": p.representative, "representative_title": p.representative_title,
            "agent_name": cp.agent_name}
