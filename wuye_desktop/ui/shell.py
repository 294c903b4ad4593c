"""What every screen is handed: the service context, the change bus, the background runner."""

from __future__ import annotations

from dataclasses import dataclass

from wuye_desktop.services.context import Context
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.runner import Runner


@dataclass(frozen=True)
class Shell:
    ctx: Context
    bus: ChangeBus
    runner: Runner
    location: str  # where the register is, for the status bar

    def __post_init__(self) -> None:
        self.bus.listen_to(self.ctx.db)  # every write on this register reaches every view
