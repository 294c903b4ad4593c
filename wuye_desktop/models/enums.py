"""Closed vocabularies of the register, stored as English codes with Chinese labels.

The database keeps the code (stable across wording changes); the user sees
``label``. Lists an administrator may edit (物业 sub-types, the five steps)
are tables, not enums.
"""

from __future__ import annotations

from enum import StrEnum

_LABELS: dict[type, dict[str, str]] = {}


class Labelled(StrEnum):
    """A code with the Chinese text shown for it."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self.value]

    @classmethod
    def from_label(cls, text: str) -> Labelled:
        for member in cls:
            if member.label == text or member.value == text:
                return member
        raise ValueError(text)


def _labelled(cls: type[Labelled], labels: dict[str, str]) -> None:
    missing = {m.value for m in cls} - labels.keys()
    assert not missing, f"{cls.__name__} lacks labels for {missing}"
    _LABELS[cls] = labels


class CaseStatus(Labelled):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    MEDIATING = "mediating"
    AGREED = "agreed"
    TERMINATED = "terminated"
    REFERRED = "referred"
    CLOSED = "closed"


_labelled(CaseStatus, {
    "registered": "登记", "accepted": "已受理", "refused": "不予受理",
    "mediating": "调解中", "agreed": "达成协议", "terminated": "调解终止",
    "referred": "已转办", "closed": "结案归档",
})


class CaseSource(Labelled):
    APPLICATION = "application"
    INITIATIVE = "initiative"
    HOTLINE = "hotline"
    PETITION = "petition"
    GRID = "grid"
    PARTY_BRANCH = "party_branch"
    ENTRUSTED = "entrusted"
    DEPARTMENT = "department"


_labelled(CaseSource, {
    "application": "当事人申请", "initiative": "调委会主动调解",
    "hotline": "12345热线工单", "petition": "信访转办", "grid": "网格员上报",
    "party_branch": "小区党支部转交", "entrusted": "法院/公安委托移送",
    "department": "部门转办",
})


class OfficialType(Labelled):
    """The national dispute types of the monthly statistics form."""

    MARRIAGE_FAMILY = "marriage_family"
    NEIGHBOUR = "neighbour"
    HOUSING_LAND = "housing_land"
    CONTRACT = "contract"
    BUSINESS = "business"
    DAMAGES = "damages"
    FOREST_LAND = "forest_land"
    LAND_ACQUISITION = "land_acquisition"
    ENVIRONMENT = "environment"
    LABOUR = "labour"
    CONSUMER = "consumer"
    MEDICAL = "medical"
    TRAFFIC = "traffic"
    PROPERTY = "property"
    OTHER = "other"


_labelled(OfficialType, {
    "marriage_family": "婚姻家庭", "neighbour": "邻里", "housing_land": "房屋宅基地",
    "contract": "合同", "business": "生产经营", "damages": "损害赔偿",
    "forest_land": "山林土地", "land_acquisition": "征地拆迁",
    "environment": "环境污染", "labour": "劳动争议", "consumer": "消费",
    "medical": "医疗", "traffic": "道路交通事故", "property": "物业", "other": "其他",
})


class RiskColour(Labelled):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"


_labelled(RiskColour, {"red": "红（重点）", "orange": "橙（关注）", "yellow": "黄（一般）", "blue": "蓝（隐患）"})


class CompanyGrade(Labelled):
    """四色管理 of property companies by the housing-management centre."""

    GREEN = "green"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"


_labelled(CompanyGrade, {"green": "绿色", "blue": "蓝色", "yellow": "黄色", "red": "红色"})


class PartyKind(Labelled):
    PERSON = "person"
    COMPANY = "company"
    OWNERS_COMMITTEE = "owners_committee"


_labelled(PartyKind, {"person": "自然人", "company": "企业/单位", "owners_committee": "业主委员会"})


class PartyRole(Labelled):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD_PARTY = "third_party"


_labelled(PartyRole, {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"})


class MediatorKind(Labelled):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


_labelled(MediatorKind, {"full_time": "专职", "part_time": "兼职"})


class AssignmentRole(Labelled):
    LEAD = "lead"
    ASSISTANT = "assistant"


_labelled(AssignmentRole, {"lead": "主办调解员", "assistant": "协办调解员"})


class ChosenBy(Labelled):
    COMMITTEE = "committee"
    PARTY = "party"


_labelled(ChosenBy, {"committee": "调委会指定", "party": "当事人选定"})


class StepForm(Labelled):
    MEETING = "meeting"
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    ON_SITE = "on_site"


_labelled(StepForm, {"meeting": "会议", "home_visit": "入户", "phone": "电话", "on_site": "现场"})


class AgreementKind(Labelled):
    WRITTEN = "written"
    ORAL = "oral"


_labelled(AgreementKind, {"written": "书面协议", "oral": "口头协议"})


class AgreementStatus(Labelled):
    DRAFT = "draft"
    SIGNED = "signed"


_labelled(AgreementStatus, {"draft": "草稿", "signed": "已生效"})


class JudicialStatus(Labelled):
    NOT_APPLIED = "not_applied"
    APPLIED = "applied"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


_labelled(JudicialStatus, {
    "not_applied": "未申请", "applied": "已申请", "confirmed": "已确认", "rejected": "不予确认",
})


class Performance(Labelled):
    PERFORMED = "performed"
    PARTIAL = "partial"
    NOT_PERFORMED = "not_performed"


_labelled(Performance, {"performed": "已履行", "partial": "部分履行", "not_performed": "未履行"})


class Satisfaction(Labelled):
    SATISFIED = "satisfied"
    BASIC = "basic"
    UNSATISFIED = "unsatisfied"


_labelled(Satisfaction, {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"})


class EscalationLevel(Labelled):
    """The escalation chain: estate party branch, community committee, departments."""

    NONE = "none"
    PARTY_BRANCH = "party_branch"
    COMMUNITY = "community"
    DEPARTMENTS = "departments"


_labelled(EscalationLevel, {
    "none": "未上报", "party_branch": "小区党支部", "community": "社区党委", "departments": "联动部门",
})


class Role(Labelled):
    """What an account may do; the services check it, not just the buttons."""

    ADMIN = "admin"
    MEDIATOR = "mediator"
    CLERK = "clerk"
    VIEWER = "viewer"


_labelled(Role, {"admin": "管理员", "mediator": "调解员", "clerk": "登记员/文书", "viewer": "查看"})


class RecordKind(Labelled):
    INVESTIGATION = "investigation"
    SESSION = "session"


_labelled(RecordKind, {"investigation": "调查记录", "session": "调解记录"})
