"""Helpers for the widget tests: answering message boxes and typing Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QWidget
from stdnum.cn import uscc

from wuye_desktop.models import MediatorKind
from wuye_desktop.services import reference
from wuye_desktop.services.context import Context


@dataclass
class Answers:
    """Records every message box and answers questions (yes unless told otherwise)."""

    seen: list[tuple[str, str, str]] = field(default_factory=list)
    replies: list[bool] = field(default_factory=list)

    def __call__(self, kind: str, title: str, text: str) -> bool:
        self.seen.append((kind, title, text))
        if kind == "confirm":
            return self.replies.pop(0) if self.replies else True
        return True

    def kinds(self) -> list[str]:
        return [kind for kind, _t, _m in self.seen]

    def last(self, kind: str) -> tuple[str, str]:
        found = [(t, m) for k, t, m in self.seen if k == kind]
        assert found, f"no {kind} message among {self.seen}"
        return found[-1]



def type_chinese(widget: QWidget, text: str) -> None:
    """Commit text the way an input method does (QTest cannot type Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.inputMethodEvent(event)


@dataclass(frozen=True)
class Place:
    estate_id: int
    company_id: int
    buildings: dict[str, int]


def add_place(ctx: Context, estate: str = "锦绣花园", company: str = "安居物业", serial: int = 1,
              buildings: tuple[str, ...] = ("1号楼", "2号楼")) -> Place:
    """An estate, its buildings and its property company, through the reference services."""
    body = f"91420200MA{serial:07d}"
    communities = reference.communities(ctx)
    community_id = communities[0].id if communities else reference.add_community(ctx, "幸福里社区", "黄石港街道")
    company_id = reference.add_company(ctx, company, credit_code=body + uscc.calc_check_digit(body))
    estate_id = reference.add_estate(ctx, estate, community_id, company_id, buildings=list(buildings))
    return Place(estate_id, company_id, {b.name: b.id for b in reference.buildings(ctx, estate_id)})


def add_mediator(ctx: Context, name: str, **fields: object) -> int:
    return reference.add_mediator(ctx, name, MediatorKind.FULL_TIME, **fields)  # type: ignore[arg-type]
