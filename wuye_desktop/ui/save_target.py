"""Where a file the user chose is saved: the service's check of the path, then a yes before one is replaced.

Every save dialog of the window goes through ``confirmed``: a path the program
must not write (the register, what it keeps, a wrong ending) is explained in a
message box; a file already there is replaced only after the user says 是 to a
question whose default is 否.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from wuye_desktop.errors import DomainError
from wuye_desktop.services import outputs
from wuye_desktop.services.context import Context
from wuye_desktop.services.outputs import FileKind, Target
from wuye_desktop.ui import msgbox

# Qt's own "replace?" would ask a second time, in its words and with its default: the question is ours.
SAVE_OPTIONS = QFileDialog.Option.DontConfirmOverwrite


def confirmed(parent: QWidget | None, ctx: Context, chosen: str, kind: FileKind) -> Target | None:
    """The checked file to write (its ending added if the name has none), or None: refused, or not replaced."""
    try:
        target = outputs.target(ctx, outputs.named(chosen, kind), kind)
    except DomainError as exc:
        msgbox.error(parent, "无法保存", exc.message)
        return None
    if target.exists and not msgbox.confirm(
            parent, "替换文件", f"文件“{target.path}”已存在。\n要用新的{kind.label}替换它吗？", default=False):
        return None
    return target
