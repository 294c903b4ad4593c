"""One account per role on a demo register, so the demo can be signed into.

The password is the same for all of them and is published in the README:
it is for demo registers only. Real registers never get an account, or a
password, that the administrator did not choose: ``require_demo_register``
refuses a register holding cases that demo did not make (``wuye demo``
needs no sign-in, so it must not be a way into a real register).
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError
from wuye_desktop.models import Assignment, AuditEvent, CaseStatus, MediationCase, Mediator, Role, UserAccount
from wuye_desktop.services import audit
from wuye_desktop.services.accounts import passwords
from wuye_desktop.services.context import Context
from wuye_desktop.services.demo.generate import DEMO_USER
from wuye_desktop.services.permissions import Permission, requires

DEMO_PASSWORD = "demo2026"
# (user name, display name, role); the mediator's display name is their name in the roster.
DEMO_ACCOUNTS = (
    ("admin", "王晓燕", Role.ADMIN),
    ("tiaojie", "", Role.MEDIATOR),
    ("wenshu", "何静", Role.CLERK),
    ("chakan", "李主任", Role.VIEWER),
)
_OPEN = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


def require_demo_register(ctx: Context) -> None:
    """Refuse a register with cases that demo did not make: demo data and demo accounts are not for it."""
    with ctx.db.reading() as session:
        _require_demo_register(session)


def _require_demo_register(session: Session) -> None:
    cases = session.scalar(select(func.count()).select_from(MediationCase)) or 0
    made = 0
    for detail in session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "demo",
                                                                   AuditEvent.actor == DEMO_USER)):
        made += int(json.loads(detail or "{}").get("cases", 0))
    if cases > made:
        raise DomainError(f"这本台账有 {cases - made} 件不是演示数据生成的案件，不是演示台账：演示数据和"
                          "演示账户（密码公开）只能放进新的台账或演示台账。请用 --data-dir 指定一个新的数据文件夹。")


@requires(Permission.DEMO)
def ensure_demo_accounts(ctx: Context) -> list[str]:
    """Create the demo accounts that are missing (on a demo register only); the user names created."""
    created: list[str] = []
    with ctx.db.writing() as session:
        _require_demo_register(session)
        taken = set(session.scalars(select(UserAccount.display_name)))
        for username, display_name, role in DEMO_ACCOUNTS:
            if session.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
                continue
            mediator = _busiest_mediator(session) if role is Role.MEDIATOR else None
            if role is Role.MEDIATOR and mediator is None:
                continue  # no roster yet: nothing for a mediator's account to be linked to
            shown = mediator.name if mediator else display_name
            if shown in taken:
                shown = f"{shown}（{role.label}）"
            taken.add(shown)
            session.add(UserAccount(username=username, display_name=shown, role=role,
                                    password_hash=passwords.hash_password(DEMO_PASSWORD),
                                    mediator_id=mediator.id if mediator else None, active=True,
                                    must_change_password=False, failed_attempts=0))
            created.append(username)
        if created:
            session.flush()
            audit.record(session, "演示数据", "create_account", "account", "",
                         {"created": created, "note": "演示账户，密码见 README"}, at=ctx.now())
    return created


def _busiest_mediator(session: Session) -> Mediator | None:
    """The mediator with the most open cases, so the demo mediator has work to do."""
    busiest = session.scalar(
        select(Assignment.mediator_id)
        .join(MediationCase, MediationCase.id == Assignment.case_id)
        .where(Assignment.recused_at.is_(None), MediationCase.status.in_(_OPEN))
        .group_by(Assignment.mediator_id).order_by(func.count().desc(), Assignment.mediator_id).limit(1)
    )
    if busiest is None:
        busiest = session.scalar(select(Mediator.id).order_by(Mediator.id).limit(1))
    return session.get(Mediator, busiest) if busiest is not None else None
