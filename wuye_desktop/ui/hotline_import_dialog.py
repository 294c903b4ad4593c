"""导入12345工单: choose the file, see and correct which column is which, check, then import.

Reading, checking and importing run through the shell's runner with a
progress bar. The check (试导入) writes nothing; its report lists each
problem with its row and column. 导入 is possible once a check found rows
to import; it checks again and writes them all or none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.services import hotline
from wuye_desktop.services.hotline.columns import FIELDS, guess_mapping
from wuye_desktop.services.hotline.work_orders import CheckReport, ImportResult, Problem, SourceTable, column_letter
from wuye_desktop.ui import msgbox, prefs
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view
from wuye_desktop.ui.shell import Shell

FOLDER_KEY = "hotline"
_FILES = "12345工单表 (*.xlsx *.csv);;所有文件 (*)"
_GREY = "#777777"

PROBLEM_COLUMNS: tuple[Column[Problem], ...] = (
    Column("行", lambda p: p.where, colour=lambda p: None if p.blocking else _GREY),
    Column("列", lambda p: p.column or "—", colour=lambda p: None if p.blocking else _GREY),
    Column("问题", lambda p: p.message if p.blocking else f"（跳过）{p.message}",
           colour=lambda p: "#b00020" if p.blocking else _GREY),
)


class HotlineImportDialog(QDialog):
    imported = Signal(int)  # cases registered

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.setWindowTitle("导入12345热线工单")
        self.resize(980, 720)
        # Seam for tests: a person answers this through Qt's file dialog.
        self.choose_file: Callable[[], str] = self._ask_file
        self.table: SourceTable | None = None
        self.report: CheckReport | None = None
        self.outcome: ImportResult | None = None
        self.busy = False

        self.path = QLineEdit(readOnly=True, placeholderText="请选择12345平台导出的工单表（.xlsx 或 .csv）")
        self.browse = QPushButton("选择文件…")
        self.file_info = QLabel()
        self.combos: dict[str, QComboBox] = {}
        mapping_box = QGroupBox("列的对应（程序已按列名自动识别，不对的请改正；带 * 的必须指定）")
        grid = QGridLayout(mapping_box)
        for index, field in enumerate(FIELDS):
            combo = QComboBox()
            combo.setMinimumContentsLength(14)
            self.combos[field.key] = combo
            row, column = divmod(index, 3)
            grid.addWidget(QLabel(field.label + (" *" if field.required else "")), row, column * 2)
            grid.addWidget(combo, row, column * 2 + 1)
            combo.currentIndexChanged.connect(self._mapping_changed)
        self.problems: RowsModel[Problem] = RowsModel(PROBLEM_COLUMNS, self)
        self.problem_view = table_view(self.problems)
        fit_columns(self.problem_view, (5, 14, 40))
        self.summary = QLabel("选择文件后，先点“检查（试导入）”查看问题，再导入。")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.check_button = QPushButton("检查（试导入）")
        self.import_button = QPushButton("导入")
        self.close_button = QPushButton("关闭")
        self._set_buttons()

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("文件"))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        for button in (self.check_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.file_info)
        layout.addWidget(mapping_box)
        layout.addWidget(QLabel("检查报告"))
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        self.browse.clicked.connect(self._browse_clicked)
        self.check_button.clicked.connect(self.run_check)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)

    # -- the file -------------------------------------------------------------------------------

    def _ask_file(self) -> str:
        chosen, _filter = QFileDialog.getOpenFileName(self, "选择12345工单表", prefs.last_folder(FOLDER_KEY), _FILES)
        return chosen

    def _browse_clicked(self) -> None:
        path = self.choose_file()
        if path:
            prefs.remember_folder(FOLDER_KEY, path)
            self.load(path)

    def load(self, path: str) -> None:
        """Read the file in the background, then show its columns with the guessed mapping."""
        self.path.setText(path)
        self.table = self.report = None
        self.problems.set_rows([])
        self._begin("正在读取文件…")
        self.shell.runner.start(lambda _p: hotline.read_table(path), self._loaded, self._failed)

    def _loaded(self, table: SourceTable) -> None:
        self._end()
        self.table = table
        sheet = f"工作表“{table.sheet}”，" if table.sheet else ""
        self.file_info.setText(f"{Path(table.path).name}：{sheet}表头在第 {table.header_row} 行，"
                               f"共 {len(table.headers)} 列")
        guessed = guess_mapping(table.headers)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("（不导入）", None)
            for index, header in enumerate(table.headers):
                combo.addItem(f"{column_letter(index)}列：{header or '（无列名）'}", index)
            combo.setCurrentIndex(combo.findData(guessed[key]) if key in guessed else 0)
            combo.blockSignals(False)
        self.summary.setText("请核对列的对应，然后点“检查（试导入）”。")
        self._set_buttons()

    def mapping(self) -> dict[str, int]:
        return {key: int(combo.currentData()) for key, combo in self.combos.items()
                if combo.currentData() is not None}

    def set_column(self, key: str, index: int | None) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(combo.findData(index) if index is not None else 0)

    def _mapping_changed(self) -> None:
        # A check made with another mapping no longer says what an import would do.
        self.report = None
        self._set_buttons()

    # -- check and import -----------------------------------------------------------------------

    def run_check(self) -> None:
        if self.table is None:
            return
        ctx, table, mapping = self.shell.ctx, self.table, self.mapping()
        self._begin("正在检查…")
        self.shell.runner.start(lambda progress: hotline.check(ctx, table, mapping, progress),
                                self._checked, self._failed, self._progressed)

    def _checked(self, report: CheckReport) -> None:
        self._end()
        self.report = report
        self.problems.set_rows(report.problems)
        if report.fatal:
            self.summary.setText("文件或列的对应有问题，不能导入：请按上面的报告改正。")
        else:
            self.summary.setText(f"共 {report.rows} 行：可导入 {len(report.ready)} 行；有问题 {report.rejected} 行"
                                 f"（不导入，请改正后重新导入）；跳过 {report.skipped} 行（已导入过、重复或空行）。"
                                 "以上为试导入，尚未写入任何内容。")
        self._set_buttons()

    def run_import(self) -> None:
        if self.table is None or self.report is None:
            return
        if self.report.rejected and not msgbox.confirm(
                self, "有问题的行不会导入",
                f"有 {self.report.rejected} 行有问题，这些行不会导入。先导入其余 {len(self.report.ready)} 行吗？\n"
                "（改正后再次导入同一文件，已导入的工单不会重复登记。）"):
            return
        ctx, table, mapping = self.shell.ctx, self.table, self.mapping()
        self._begin("正在导入…")
        self.shell.runner.start(lambda progress: hotline.import_orders(ctx, table, mapping, progress),
                                self._imported, self._failed, self._progressed)

    def _imported(self, outcome: tuple[CheckReport, ImportResult]) -> None:
        self._end()
        report, result = outcome
        self.report, self.outcome = None, result
        self.problems.set_rows(report.problems)
        text = (f"已导入 {result.imported} 件工单，均已登记为案件（来源：12345热线）；"
                f"有问题未导入 {result.rejected} 行，跳过 {result.skipped} 行。")
        self.summary.setText(text)
        self._set_buttons()
        if result.imported:
            self.imported.emit(result.imported)
        msgbox.info(self, "导入完成", text)

    # -- state ----------------------------------------------------------------------------------

    def _begin(self, text: str) -> None:
        self.busy = True
        self.progress.setRange(0, 0)
        self.progress.setFormat(text)
        self.progress.show()
        self._set_buttons()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")

    def _end(self) -> None:
        self.busy = False
        self.progress.hide()
        self._set_buttons()

    def _failed(self, message: str, _is_bug: bool) -> None:
        self._end()
        self.summary.setText(message)
        msgbox.error(self, "未完成", message)

    def _set_buttons(self) -> None:
        ready = self.report is not None and not self.report.fatal and bool(self.report.ready)
        self.browse.setEnabled(not self.busy)
        self.check_button.setEnabled(not self.busy and self.table is not None)
        self.import_button.setEnabled(not self.busy and ready)
        self.close_button.setEnabled(not self.busy)
        for combo in self.combos.values():
            combo.setEnabled(not self.busy and self.table is not None)
