"""What each document shows, as plain frozen data: the services fill these, the writers print them.

Nothing here knows about the database; every value is already what the
paper says (labels in Chinese, names, dates), except dates, which the
writers format the one official way (2026年11月28日).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class CommitteeInfo:
    name: str
    seal_text: str  # what the seal reads, e.g. 某某社区人民调解委员会（印章）
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PartyDetails:
    """A party as printed: a person's 姓名…单位或住址, or an organisation's 名称, 代表人, 地址."""

    role: str  # 申请人 / 被申请人 / 第三人
    is_person: bool
    name: str
    gender: str = ""
    ethnicity: str = ""
    age: int | None = None
    occupation: str = ""  # 职业或职务
    phone: str = ""
    address: str = ""  # 单位或住址
    credit_code: str = ""  # organisations only: 统一社会信用代码
    representative: str = ""  # 法定代表人/负责人
    representative_title: str = ""
    agent_name: str = ""  # 委托代理人


@dataclass(frozen=True)
class AgreementDoc:
    """人民调解协议书 (written) or the content of a 口头协议登记表 (oral)."""

    committee: CommitteeInfo
    number: str
    case_number: str
    oral: bool
    parties: tuple[PartyDetails, ...]
    facts: str  # 纠纷主要事实、争议事项
    clauses: tuple[str, ...]
    performance: str  # 履行方式
    performance_deadline: date | None  # 履行时限
    mediators: str
    recorder: str
    signed_on: date
    matter: str = ""  # the one-line summary, for the oral registration form

    @property
    def copies(self) -> int:
        """一式N份: one for each party and one for the committee."""
        return len(self.parties) + 1


@dataclass(frozen=True)
class RegistrationDoc:
    """人民调解受理登记表."""

    committee: CommitteeInfo
    case_number: str
    registered_on: date
    accepted_on: date | None
    source: str  # 来源, with the work order number where there is one
    dispute_type: str  # 物业纠纷（房屋漏水）
    place: str  # estate and building
    property_company: str
    parties: tuple[PartyDetails, ...]
    summary: str
    facts: str
    amount: str  # "1200.00元" or ""
    people_count: int
    registrar: str
    mediators: str
    status: str


@dataclass(frozen=True)
class SessionRecord:
    """人民调解调查记录 or 人民调解记录: one investigation or mediation session."""

    investigation: bool
    held_at: datetime
    place: str
    matter: str
    participants: str
    parties_present: str
    rights_told: bool
    statements: str
    findings: str
    outcome: str
    recorder: str


@dataclass(frozen=True)
class StepRecord:
    """One step of the five-step consultation method (议事协商记录)."""

    step_name: str
    held_at: datetime
    form: str
    place: str
    expected_count: int | None
    present_count: int | None
    participants: str
    content: str
    decision: str
    publicity: str
    supervision: str
    recorder: str


@dataclass(frozen=True)
class RecordsDoc:
    """The case's records in the order they were held; empty: a blank form to fill in by hand."""

    committee: CommitteeInfo
    case_number: str
    matter: str
    parties: str  # names with roles, for the header of a blank form
    entries: tuple[SessionRecord | StepRecord, ...]


@dataclass(frozen=True)
class VisitEntry:
    visited_on: date
    visitor: str
    method: str
    visited_parties: str
    performance: str
    satisfaction: str
    lawsuit: bool
    measures: str
    notes: str


@dataclass(frozen=True)
class VisitsDoc:
    """人民调解回访记录; no visits yet: one blank form with the case filled in."""

    committee: CommitteeInfo
    case_number: str
    agreement_number: str
    matter: str
    parties: str
    visits: tuple[VisitEntry, ...]


@dataclass(frozen=True)
class CoverDoc:
    """人民调解卷宗 cover."""

    committee: CommitteeInfo
    title: str  # 卷名
    case_number: str  # 卷号
    dispute_type: str
    parties: str
    mediators: str
    started_on: date | None  # 调解日期 from
    ended_on: date | None  # to
    outcome: str  # 调解结果
    filed_by: str  # 立卷人
    filed_on: date  # 立卷日期
    retention: str  # 保管期限


@dataclass(frozen=True)
class AttachmentFile:
    path: Path
    file_name: str
    category: str
    description: str
    media_type: str
    added_on: date | None

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/") or self.path.suffix.lower() in (
            ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff")

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf" or self.file_name.lower().endswith(".pdf")


@dataclass(frozen=True)
class CaseFileDoc:
    """The whole 卷宗 in the official order."""

    cover: CoverDoc
    registration: RegistrationDoc
    records: RecordsDoc
    agreement: AgreementDoc | None
    visits: VisitsDoc | None
    attachments: tuple[AttachmentFile, ...]


@dataclass(frozen=True)
class FrontMatterDoc:
    """The cover and the 卷内目录 of a case file, page numbers as the whole file has them."""

    casefile: CaseFileDoc


Document = FrontMatterDoc | AgreementDoc | RegistrationDoc | RecordsDoc | VisitsDoc | CoverDoc | CaseFileDoc


def texts_of(value: object) -> list[str]:
    """Every piece of text a document holds, to check the font has a glyph for each character."""
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
        out.append(str(value))
    elif isinstance(value, (tuple, list)):
        for item in value:
            out += texts_of(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name != "path":
                out += texts_of(getattr(value, f.name))
    return out
