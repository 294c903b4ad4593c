"""The mediation case and what hangs directly off it: its parties and its history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import Base, VersionedRow
from wuye_desktop.models.enums import (
    CaseSource,
    CaseStatus,
    EscalationLevel,
    OfficialType,
    PartyRole,
    RiskColour,
)
from wuye_desktop.models.types import Money, code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.agreement import Agreement
    from wuye_desktop.models.consultation import ConsultationStep
    from wuye_desktop.models.mediator import Assignment
    from wuye_desktop.models.organisation import Building, Committee, Estate, PropertyCompany
    from wuye_desktop.models.party import Party
    from wuye_desktop.models.settings import DisputeSubtype
    from wuye_desktop.models.visit import ReturnVisit


class MediationCase(VersionedRow):
    """One dispute from registration to filing (卷宗)."""

    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("committee_id", "number"),
        UniqueConstraint("committee_id", "year", "seq"),
        Index("ix_mediation_case_status_deadline", "status", "deadline"),
    )

    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"))
    number: Mapped[str] = mapped_column(String(60))  # （2026）某某调字第12号
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)

    source: Mapped[CaseSource] = mapped_column(code_enum(CaseSource))
    source_ref: Mapped[str] = mapped_column(String(60), default="")  # e.g. 12345 工单编号
    official_type: Mapped[OfficialType] = mapped_column(
        code_enum(OfficialType), default=OfficialType.PROPERTY
    )
    subtype_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_subtype.id"), index=True)

    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"), index=True)
    property_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("property_company.id"), index=True
    )

    summary: Mapped[str] = mapped_column(String(200))  # 简要案情, one line
    facts: Mapped[str] = mapped_column(Text, default="")  # 纠纷主要事实、争议事项
    risk: Mapped[RiskColour] = mapped_column(code_enum(RiskColour), default=RiskColour.YELLOW)
    status: Mapped[CaseStatus] = mapped_column(
        code_enum(CaseStatus), default=CaseStatus.REGISTERED
    )
    escalation: Mapped[EscalationLevel] = mapped_column(
        code_enum(EscalationLevel), default=EscalationLevel.NONE
    )

    registered_on: Mapped[date] = mapped_column(Date, index=True)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)  # 调解期限 (one month from acceptance)
    concluded_on: Mapped[date | None] = mapped_column(Date)  # agreement reached or terminated
    closed_on: Mapped[date | None] = mapped_column(Date)

    amount: Mapped[Decimal | None] = mapped_column(Money)  # 涉及金额, 元
    people_count: Mapped[int] = mapped_column(Integer, default=0)  # 涉及人数
    registrar: Mapped[str] = mapped_column(String(40), default="")  # 登记人
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    referred_to: Mapped[str] = mapped_column(String(100), default="")  # 转办部门
    # 防止民转刑 / 自杀 / 群体性上访 / 群体性械斗, for the monthly prevention figures.
    prevented_criminal: Mapped[bool] = mapped_column(Boolean, default=False)
    prevented_suicide: Mapped[bool] = mapped_column(Boolean, default=False)
    prevented_group_petition: Mapped[bool] = mapped_column(Boolean, default=False)
    prevented_group_fight: Mapped[bool] = mapped_column(Boolean, default=False)

    committee: Mapped[Committee] = relationship()
    subtype: Mapped[DisputeSubtype | None] = relationship()
    estate: Mapped[Estate | None] = relationship()
    building: Mapped[Building | None] = relationship()
    property_company: Mapped[PropertyCompany | None] = relationship()
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", order_by="CaseParty.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="case", order_by="Assignment.id", cascade="all, delete-orphan"
    )
    steps: Mapped[list[ConsultationStep]] = relationship(
        back_populates="case", order_by="ConsultationStep.position", cascade="all, delete-orphan"
    )
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="case", order_by="Agreement.id", cascade="all, delete-orphan"
    )
    visits: Mapped[list[ReturnVisit]] = relationship(
        back_populates="case", order_by="ReturnVisit.visited_on", cascade="all, delete-orphan"
    )


class CaseParty(VersionedRow):
    """A party's place in one case, with what they were when the agreement was signed."""

    __tablename__ = "case_party"
    __table_args__ = (UniqueConstraint("case_id", "party_id", "role"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    role: Mapped[PartyRole] = mapped_column(code_enum(PartyRole))
    position: Mapped[int] = mapped_column(Integer, default=0)
    agent_name: Mapped[str] = mapped_column(String(40), default="")  # 委托代理人
    # The party's details frozen at signing time: a later change of address or
    # phone must not rewrite a signed agreement.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    snapshot_at: Mapped[datetime | None] = mapped_column(DateTime)

    case: Mapped[MediationCase] = relationship(back_populates="parties")
    party: Mapped[Party] = relationship()


class CaseEvent(Base):
    """The case's history: every status change, escalation, extension, assignment.

    Monthly figures count events by the date they happened, so a case
    accepted in October and settled in November counts in each month once.
    Rows are only ever added.
    """

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_action_on", "action", "occurred_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))  # register, accept, escalate, ...
    from_status: Mapped[CaseStatus | None] = mapped_column(code_enum(CaseStatus))
    to_status: Mapped[CaseStatus | None] = mapped_column(code_enum(CaseStatus))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[MediationCase] = relationship(back_populates="events")
