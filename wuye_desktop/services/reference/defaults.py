"""The lists a new register starts with: its committee, the 物业 sub-types and the five-step names."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.models import Committee, DisputeSubtype, Setting, StepTemplate
from wuye_desktop.services import audit, settings
from wuye_desktop.services.context import SYSTEM_USER
from wuye_desktop.storage.engine import Database

# DOMAIN.md §2: the 物业 sub-types seen in practice; an administrator may edit them.
DEFAULT_SUBTYPES = (
    "物业服务质量", "物业费/收费", "私搭乱建", "噪声扰民", "违规装修", "房屋漏水",
    "开发商遗留问题", "侵占楼道/绿地", "占用消防通道", "养犬/动物扰民", "停车难",
    "充电难/飞线充电", "管线改造", "公共收益", "维修资金", "物业选聘与交接", "邻里纠纷",
)
# DOMAIN.md §4: the most cited version of the five-step consultation method.
DEFAULT_STEPS = ("民事民提", "民事民议", "民事民决", "民事民办", "民事民评")

DEFAULT_COMMITTEE_NAME = "人民调解委员会"
DEFAULT_COMMITTEE_SHORT = "某某"


def ensure_defaults(db: Database) -> None:
    with db.writing() as session:
        created = _ensure_defaults(session)
        if created:
            audit.record(session, SYSTEM_USER, "init", "register", "", {"created": created})


def _ensure_defaults(session: Session) -> list[str]:
    created: list[str] = []
    if session.scalar(select(func.count()).select_from(Setting).where(Setting.key == settings.REGISTER_UID)) == 0:
        settings.register_uid(session)
        created.append("register_uid")
    if not session.scalar(select(func.count()).select_from(Committee)):
        session.add(Committee(name=DEFAULT_COMMITTEE_NAME, short_name=DEFAULT_COMMITTEE_SHORT))
        created.append("committee")
    if not session.scalar(select(func.count()).select_from(DisputeSubtype)):
        session.add_all(DisputeSubtype(name=n, position=i) for i, n in enumerate(DEFAULT_SUBTYPES, 1))
        created.append("subtypes")
    if not session.scalar(select(func.count()).select_from(StepTemplate)):
        session.add_all(StepTemplate(name=n, position=i) for i, n in enumerate(DEFAULT_STEPS, 1))
        created.append("steps")
    return created
