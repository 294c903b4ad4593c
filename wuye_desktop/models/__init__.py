"""The register's data model (SQLAlchemy 2). No Qt here, ever."""

from wuye_desktop.models.account import UserAccount
from wuye_desktop.models.agreement import Agreement, AgreementClause
from wuye_desktop.models.attachment import Attachment
from wuye_desktop.models.audit import AuditEvent
from wuye_desktop.models.base import Base, VersionedRow
from wuye_desktop.models.case import CaseEvent, CaseParty, MediationCase
from wuye_desktop.models.consultation import ConsultationStep, StepTemplate
from wuye_desktop.models.enums import (
    AgreementKind,
    AgreementStatus,
    AssignmentRole,
    CaseSource,
    CaseStatus,
    ChosenBy,
    CompanyGrade,
    EscalationLevel,
    JudicialStatus,
    MediatorKind,
    OfficialType,
    PartyKind,
    PartyRole,
    Performance,
    RecordKind,
    RiskColour,
    Role,
    Satisfaction,
    StepForm,
)
from wuye_desktop.models.exchange import RecordOrigin, RoomKey
from wuye_desktop.models.hotline import WorkOrder
from wuye_desktop.models.mediation_record import MediationRecord
from wuye_desktop.models.mediator import Assignment, Mediator
from wuye_desktop.models.organisation import Building, Committee, Community, Estate, PropertyCompany
from wuye_desktop.models.party import Party
from wuye_desktop.models.search import CaseSearchText
from wuye_desktop.models.settings import DisputeSubtype, NumberSequence, Setting
from wuye_desktop.models.visit import ReturnVisit

__all__ = [
    "Agreement",
    "AgreementClause",
    "AgreementKind",
    "AgreementStatus",
    "Assignment",
    "AssignmentRole",
    "Attachment",
    "AuditEvent",
    "Base",
    "Building",
    "CaseEvent",
    "CaseParty",
    "CaseSearchText",
    "CaseSource",
    "CaseStatus",
    "ChosenBy",
    "Committee",
    "Community",
    "CompanyGrade",
    "ConsultationStep",
    "DisputeSubtype",
    "EscalationLevel",
    "Estate",
    "JudicialStatus",
    "MediationCase",
    "MediationRecord",
    "Mediator",
    "MediatorKind",
    "NumberSequence",
    "OfficialType",
    "Party",
    "PartyKind",
    "PartyRole",
    "Performance",
    "PropertyCompany",
    "RecordKind",
    "RecordOrigin",
    "ReturnVisit",
    "RiskColour",
    "Role",
    "RoomKey",
    "Satisfaction",
    "Setting",
    "StepForm",
    "StepTemplate",
    "UserAccount",
    "VersionedRow",
    "WorkOrder",
]
