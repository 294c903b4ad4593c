"""The 打印 menu: the document kinds and previews of ``wuye_desktop.ui.documents``, imported at click time.

That module belongs to the printing feature; importing it only when the
user asks keeps the workspace working (with the menu saying so) before it
is installed, and keeps ReportLab out of start-up.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtWidgets import QWidget

from wuye_desktop.ui.shell import Shell

log = logging.getLogger(__name__)


def _documents() -> Any | None:
    try:
        return importlib.import_module("wuye_desktop.ui.documents")
    except ImportError:
        log.info("wuye_desktop.ui.documents is not installed: printing is unavailable")
        return None


def document_kinds() -> list[tuple[Any, str]]:
    """(kind, Chinese label) pairs, whatever shape DOCUMENT_KINDS has: a mapping, pairs or labelled kinds."""
    module = _documents()
    kinds = getattr(module, "DOCUMENT_KINDS", None) if module is not None else None
    if not kinds:
        return []
    if isinstance(kinds, dict):
        return [(kind, str(getattr(label, "label", label))) for kind, label in kinds.items()]
    found: list[tuple[Any, str]] = []
    for item in kinds:
        if isinstance(item, tuple) and len(item) >= 2:
            found.append((item[0], str(item[1])))
        else:
            found.append((item, str(getattr(item, "label", item))))
    return found


def agreement_kind() -> Any | None:
    """The kind that prints the 人民调解协议书 (Ctrl+P)."""
    kinds = document_kinds()
    for kind, _label in kinds:
        if str(getattr(kind, "value", kind)) == "agreement":
            return kind
    for kind, label in kinds:
        if "协议书" in label and "口头" not in label:
            return kind
    return None


def preview(parent: QWidget, shell: Shell, kind: Any, case_id: int) -> None:
    module = _documents()
    if module is not None:
        module.open_document_preview(parent, shell, kind, case_id)
