"""Every string the UI shows has a Chinese version.

Chinese is the source language of the UI (Qt translates from any source
language, so an English .ts can be added later). This scans every module
under wuye_desktop/ui for string literals handed to Qt's user-visible text
APIs and fails on one with Latin letters but no Chinese character: an
English word that would reach a clerk untranslated.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import wuye_desktop.ui

UI = Path(wuye_desktop.ui.__file__).parent
MESSAGES = {"error", "info", "confirm", "warning", "critical", "information", "question"}
CALLS = {
    # QObject.tr / QCoreApplication.translate and the project's own tr() helper
    "tr", "translate",
    # setters of visible text
    "setText", "setWindowTitle", "setPlaceholderText", "setToolTip", "setStatusTip", "setWhatsThis", "setTitle",
    "setSpecialValueText", "setPrefix", "setSuffix", "setLabelText", "setTabText", "setTabToolTip",
    "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "showMessage", "setWindowIconText",
    # adders of visible items
    "addItem", "addItems", "insertItem", "insertItems", "addTab", "insertTab", "addAction", "addMenu", "addRow",
    # widgets built with their text
    "QLabel", "QPushButton", "QGroupBox", "QAction", "QCheckBox", "QRadioButton", "QToolButton", "QMenu",
    "QLineEdit", "QProgressDialog", "QMessageBox", "QListWidgetItem", "QTreeWidgetItem", "QTableWidgetItem",
    # the message box seam and the table column headers of ui/rows_model.py
    *MESSAGES, "Column",
}
TEXT_KEYWORDS = {"text", "title", "placeholderText", "toolTip", "windowTitle", "statusTip", "labelText"}
# Strings that are the same in Chinese: formats, units, file filters.
ALLOWED = {"PDF", "ID", "B", "KB", "MB", "Excel", "Word", "CSV", "xlsx", "pdf"}
LATIN = re.compile(r"[A-Za-z]")
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
FILE_FILTER = re.compile(r"\(\*\.\w+")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _literals(node: ast.expr) -> Iterator[tuple[int, str]]:
    """String literals an argument is built from (not looking into other calls: those are checked on their own)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        yield node.lineno, text
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _literals(element)


def _shown_arguments(node: ast.Call) -> list[ast.expr]:
    name = _name(node.func)
    positional = list(node.args)
    if name == "translate":
        positional = positional[1:]  # the first argument is the translation context
    elif name == "QLineEdit":
        positional = []  # the initial content of an input box is data, not a label
    elif name in MESSAGES:
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if not (isinstance(owner, ast.Name) and owner.id in ("msgbox", "QMessageBox")):
            return []  # log.info(...) and the like are for the log file, not for the user
    return positional + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]


def untranslated(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _name(node.func) not in CALLS:
            continue
        arguments = _shown_arguments(node)
        for argument in arguments:
            for line, text in _literals(argument):
                stripped = text.strip()
                if not LATIN.search(stripped) or CHINESE.search(stripped):
                    continue
                if stripped in ALLOWED or FILE_FILTER.search(stripped):
                    continue
                found.append((line, text))
    return found


def test_every_user_visible_string_has_a_chinese_version() -> None:
    problems = []
    for path in sorted(UI.rglob("*.py")):
        for line, text in untranslated(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(UI.parent.parent)}:{line}: {text!r}")
    assert not problems, "user-visible text without Chinese:\n" + "\n".join(problems)


def test_the_scan_catches_english_and_lets_chinese_and_formats_through() -> None:
    source = '''
label = QLabel("Cancel")
button.setText(self.tr("保存"))
box.setPlaceholderText("例如 2026-12-31")
edit.setToolTip(f"Open {name}")
dialog.setWindowTitle("PDF")
msgbox.error(self, "出错", "Something failed")
combo.addItem("Yes" if ok else "是")
files = QFileDialog.getOpenFileName(self, "选择", "", "图片 (*.jpg)")
line = QLineEdit(placeholderText="Search")
name = QLineEdit("admin")
log.error("background job failed")
text = QCoreApplication.translate("CaseTableModel", "编号")
QMessageBox.warning(self, "Warning", "出错了")
'''
    assert [text for _line, text in untranslated(source)] == ["Cancel", "Open ", "Something failed", "Yes", "Search",
                                                                  "Warning"]
