"""Opening a register: schema up to date, default lists present, search index ready."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.models import Committee, DisputeSubtype, StepTemplate
from wuye_desktop.services import audit, search
from wuye_desktop.services.context import SYSTEM_USER
from wuye_desktop.storage import schema
from wuye_desktop.storage.engine import Database

# DOMAIN.md §2: the 物业 sub-types seen in practice; an administrator may edit them.
DEFAULT_SUBTYPES = (
    "物业服务质量", "物业费/收费", "私搭乱建", "噪声扰民", "违规装修", "房屋漏水",
    "开发商遗留问题", "侵占楼道/绿地", "占用消防通道", "养犬/动物扰民", "停车难",
    "充电难/飞线充电", "管线改造", "公共收益", "维修资金", "物业选聘与交接", "邻里纠纷",
)
# DOMAIN.md §4: the most cited version of the five-step consultation method.
DEFAULT_STEPS = ("民事民提", "民事民议", "民事民决", "民事民办", "民事民评")
GENERIC_STEPS = ("征集议题", "确定议题", "协商议事", "组织实施", "反馈评议")

DEFAULT_COMMITTEE_NAME = "人民调解委员会"
DEFAULT_COMMITTEE_SHORT = "某某"


def open_register(*, data_dir: str | None = None, db_url: str | None = None) -> Database:
    """The register ready to use: created or upgraded, with its default lists."""
    db = Database.open(data_dir=data_dir, db_url=db_url)
    try:
        if not schema.is_current(db):
            from wuye_desktop.storage import migrate  # Alembic is imported only when there is work

            migrate.upgrade(db)
        ensure_defaults(db)
        search.ensure_index(db)
    except BaseException:
        db.dispose()
        raise
    return db


def ensure_defaults(db: Database) -> None:
    with db.writing() as session:
        created = _ensure_defaults(session)
        if created:
            audit.record(session, SYSTEM_USER, "init", "register", "", {"created": created})


def _ensure_defaults(session: Session) -> list[str]:
    created: list[str] = []
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
