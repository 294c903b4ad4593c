"""Plain data going into and out of the services; the UI and CLI never see ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from wuye_desktop.models import (
    AgreementKind,
    AssignmentRole,
    CaseSource,
    CaseStatus,
    ChosenBy,
    OfficialType,
    PartyKind,
    PartyRole,
    Performance,
    RiskColour,
    Satisfaction,
    StepForm,
)


@dataclass
class PartyInput:
    """A party as typed into the registration form; strings are raw user input."""

    name: str
    role: PartyRole = PartyRole.APPLICANT
    kind: PartyKind = PartyKind.PERSON
    gender: str = ""
    ethnicity: str = ""
    birth_date: str = ""
    age: str = ""
    occupation: str = ""
    phone: str = ""
    id_number: str = ""  # 身份证号, or the 统一社会信用代码 of an organisation
    address: str = ""
    representative: str = ""
    representative_title: str = ""
    estate_id: int | None = None
    building_id: int | None = None
    room: str = ""
    agent_name: str = ""


@dataclass
class CaseDraft:
    """A dispute as typed into the registration form."""

    summary: str
    parties: list[PartyInput]
    source: CaseSource = CaseSource.APPLICATION
    source_ref: str = ""
    official_type: OfficialType = OfficialType.PROPERTY
    subtype_id: int | None = None
    estate_id: int | None = None
    building_id: int | None = None
    property_company_id: int | None = None
    facts: str = ""
    risk: RiskColour = RiskColour.YELLOW
    registered_on: str = ""  # empty: today
    amount: str = ""
    people_count: str = ""
    registrar: str = ""


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str
    version: int


@dataclass(frozen=True)
class PartyView:
    party_id: int
    role: PartyRole
    kind: PartyKind
    name: str
    gender: str
    ethnicity: str
    birth_date: date | None
    age: int | None
    occupation: str
    phone: str
    id_number: str
    address: str
    representative: str
    representative_title: str
    agent_name: str


@dataclass(frozen=True)
class AssignmentView:
    id: int
    mediator_id: int
    mediator_name: str
    role: AssignmentRole
    chosen_by: ChosenBy
    assigned_at: datetime
    recused_at: datetime | None
    recusal_reason: str


@dataclass(frozen=True)
class EventView:
    action: str
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    occurred_on: date
    actor: str
    note: str


@dataclass(frozen=True)
class CaseDetail:
    id: int
    version: int
    number: str
    status: CaseStatus
    source: CaseSource
    source_ref: str
    official_type: OfficialType
    subtype: str
    estate: str
    building: str
    property_company: str
    summary: str
    facts: str
    risk: RiskColour
    registered_on: date
    accepted_on: date | None
    deadline: date | None
    concluded_on: date | None
    closed_on: date | None
    amount: Decimal | None
    registrar: str
    escalation: str
    parties: list[PartyView]
    assignments: list[AssignmentView]
    events: list[EventView]
    agreement_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CaseRow:
    """One line of the register."""

    id: int
    number: str
    registered_on: date
    estate: str
    subtype: str
    parties: str
    mediators: str
    status: CaseStatus
    deadline: date | None
    risk: RiskColour


@dataclass
class StepInput:
    held_at: datetime
    form: StepForm
    step_name: str = ""  # empty: the next template step
    template_id: int | None = None
    place: str = ""
    expected_count: int | None = None
    present_count: int | None = None
    participants: str = ""
    content: str = ""
    decision: str = ""
    publicity: str = ""
    supervision: str = ""
    recorder: str = ""


@dataclass
class AgreementDraft:
    clauses: list[str]
    kind: AgreementKind = AgreementKind.WRITTEN
    facts: str = ""
    performance: str = ""
    performance_deadline: str = ""
    amount: str = ""
    mediator_names: str = ""
    recorder: str = ""


@dataclass
class VisitInput:
    visited_on: str
    visitor: str
    performance: Performance
    satisfaction: Satisfaction | None = None
    method: str = ""
    visited_parties: str = ""
    lawsuit: bool = False
    measures: str = ""
    notes: str = ""
    agreement_id: int | None = None
