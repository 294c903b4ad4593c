"""Who is calling: the register and the signed-in user, passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from wuye_desktop.models.enums import Role
from wuye_desktop.storage.engine import Database

SYSTEM_USER = "系统"


@dataclass(frozen=True)
class User:
    name: str  # the display name, as the audit trail and the status bar show it
    role: Role = Role.ADMIN
    username: str = ""  # the account signed in; empty for the system and for tests
    mediator_id: int | None = None  # a mediator's own entry in the roster: the cases that are theirs


@dataclass(frozen=True)
class Context:
    db: Database
    user: User = field(default_factory=lambda: User(SYSTEM_USER))
    # Injected so tests and demo data can fix "today"; the program uses the clock.
    today_override: date | None = None

    def today(self) -> date:
        return self.today_override or date.today()

    def now(self) -> datetime:
        if self.today_override is not None:
            return datetime.combine(self.today_override, datetime.now().time())
        return datetime.now()

    @property
    def actor(self) -> str:
        return self.user.name
