"""The 数据交换 page: a room exports a period for the county, the county imports its rooms' files,
and this computer is pointed at a shared server.

Exports and imports run through the shell's runner with a busy bar; an
import's report stays on the page (one line per file) and every open view is
told to reload. The room's side shows the fingerprint of the key its files are
signed with; the county's import shows a new room's fingerprint and asks the
clerk to confirm it against what the room reads out before anything is merged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import exchange, outputs, permissions, settings
from wuye_desktop.services.exchange.privacy import MASK, MODES
from wuye_desktop.services.exchange.roll_up import ExportReport, ImportReport, Period, RoomCheck
from wuye_desktop.services.permissions import Permission
from wuye_desktop.storage.paths import safe_file_name
from wuye_desktop.ui import msgbox, prefs, save_target
from wuye_desktop.ui.server_form import ServerForm
from wuye_desktop.ui.shell import Shell

FOLDER_KEY = "exchange"
MONTH, QUARTER, YEAR = "month", "quarter", "year"
_FILTER = "数据交换文件 (*.wyx);;所有文件 (*)"


class ExchangePage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        # Seams for tests (a person answers these through Qt's file dialogs).
        self.choose_save_path: Callable[[str], str] = self._ask_save_path
        self.choose_files: Callable[[], list[str]] = self._ask_files
        self.last_export: ExportReport | None = None
        self.last_import: ImportReport | None = None

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the work reports no steps
        self.progress.hide()
        layout = QVBoxLayout(self)
        boxes = QHBoxLayout()
        boxes.addWidget(self._export_box(), 1)
        boxes.addWidget(self._import_box(), 1)
        layout.addLayout(boxes)
        layout.addWidget(self.progress)
        self.server_form = ServerForm(shell)
        layout.addWidget(self.server_form)
        layout.addStretch(1)

    # -- export ------------------------------------------------------------------------------

    def _export_box(self) -> QGroupBox:
        box = QGroupBox("报送：导出本调解室的数据")
        today = self.shell.ctx.today()
        last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        self.kind = QComboBox()
        for text, kind in (("月份", MONTH), ("季度", QUARTER), ("全年", YEAR)):
            self.kind.addItem(text, kind)
        self.year = QSpinBox()
        self.year.setRange(int(settings.get(self.shell.ctx, settings.EARLIEST_YEAR)), today.year)
        self.year.setSuffix(" 年")
        self.year.setValue(last_month[0])
        self.number = QSpinBox()
        self.number.setRange(1, 12)
        self.number.setSuffix(" 月")
        self.number.setValue(last_month[1])
        self.personal = QComboBox()
        for mode, text in MODES.items():
            self.personal.addItem(text, mode)
        chosen = settings.get(self.shell.ctx, settings.EXCHANGE_PERSONAL) or MASK
        self.personal.setCurrentIndex(max(self.personal.findData(chosen), 0))
        self.export_button = QPushButton("导出报送文件…")
        self.export_status = QLabel("把所选期间的案件（含当事人、议事协商、调解记录、协议、回访）导出为一个文件，"
                                    "用U盘交给上级。")
        self.export_status.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_fingerprint()

        period_row = QHBoxLayout()
        period_row.addWidget(QLabel("期间"))
        for widget in (self.kind, self.year, self.number):
            period_row.addWidget(widget)
        period_row.addStretch(1)
        personal_row = QHBoxLayout()
        personal_row.addWidget(QLabel("个人信息"))
        personal_row.addWidget(self.personal, 1)
        inner = QVBoxLayout(box)
        inner.addLayout(period_row)
        inner.addLayout(personal_row)
        inner.addWidget(self.export_button)
        inner.addWidget(self.export_status)
        inner.addWidget(self.fingerprint)
        inner.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.export_button.clicked.connect(self._export_clicked)
        self.export_button.setEnabled(permissions.allowed(self.shell.ctx, Permission.EXPORT))
        return box

    def _show_fingerprint(self) -> None:
        try:
            found = exchange.signing_fingerprint(self.shell.ctx)
        except DomainError as exc:  # the key cannot be read or kept on this PC: exporting will say so too
            self.fingerprint.setText(f"无法读取本调解室的签名密钥：{exc.message}")
            return
        self.fingerprint.setText(f"本调解室的签名指纹：<b style='font-family: monospace'>{found}</b><br>"
                                 "上级第一次导入本室的文件时，会打电话请您读出这串字符核对。")

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.number.setVisible(kind != YEAR)
        if kind == QUARTER:
            self.number.setRange(1, 4)
            self.number.setPrefix("第 ")
            self.number.setSuffix(" 季度")
        elif kind == MONTH:
            self.number.setPrefix("")
            self.number.setRange(1, 12)
            self.number.setSuffix(" 月")

    def period(self) -> Period:
        kind, year, number = self.kind.currentData(), self.year.value(), self.number.value()
        text = {MONTH: f"{year}-{number:02d}", QUARTER: f"{year}Q{number}"}.get(kind, str(year))
        return exchange.parse_period(text)

    def _ask_save_path(self, suggested: str) -> str:
        start = str(Path(prefs.last_folder(FOLDER_KEY)) / suggested)
        chosen, _filter = QFileDialog.getSaveFileName(self, "保存报送文件（例如存到U盘）", start, _FILTER,
                                                      options=save_target.SAVE_OPTIONS)
        return chosen

    def _export_clicked(self) -> None:
        period = self.period()
        committee = self._committee_short()
        path = self.choose_save_path(safe_file_name(f"{committee}-{period.label}", exchange.SUFFIX))
        target = save_target.confirmed(self, self.shell.ctx, path, outputs.EXCHANGE_FILE) if path else None
        if target is not None:
            prefs.remember_folder(FOLDER_KEY, str(Path(path).parent))
            self.export_to(str(target.path), replace=target.exists)

    def _committee_short(self) -> str:
        from wuye_desktop.services import reference

        try:
            return reference.committee(self.shell.ctx).short_name
        except DomainError:  # a name for a file is not worth failing over
            return "报送"

    def export_to(self, path: str, *, replace: bool = False) -> None:
        ctx, period, mode = self.shell.ctx, self.period(), self.personal.currentData()
        self._begin(f"正在导出{period.title}的数据…")
        self.shell.runner.start(lambda _p: exchange.export_period(ctx, period, path, personal=mode, replace=replace),
                                self._exported, self._failed)

    def _exported(self, report: ExportReport) -> None:
        self._end()
        self.last_export = report
        mode = "已打码" if report.personal == MASK else "已删除"
        text = (f"已导出{report.period.title}的 {report.cases} 件案件（个人信息{mode}）：\n{report.path}\n"
                f"校验码：{report.sha256[:16]}…\n签名指纹：{report.fingerprint}")
        self.export_status.setText(text)
        msgbox.info(self, "导出完成", text)

    # -- import ------------------------------------------------------------------------------

    def _import_box(self) -> QGroupBox:
        box = QGroupBox("汇总：导入各调解室报送的文件")
        self.import_button = QPushButton("选择文件并导入…")
        self.import_button.setEnabled(permissions.allowed(self.shell.ctx, Permission.IMPORT))
        note = QLabel("可一次选择多个文件。导入前会先核对每个文件的签名、校验码和每一项数据，"
                      "有任何损坏或改动就整批不导入；某调解室第一次报送时，请电话核对其签名指纹。"
                      "同一文件重复导入不会重复计数，较新的报送会更新原有数据。")
        note.setWordWrap(True)
        self.rooms = QLabel()
        self.rooms.setWordWrap(True)
        self.rooms.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._show_rooms()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("导入结果将显示在这里")
        inner = QVBoxLayout(box)
        inner.addWidget(self.import_button)
        inner.addWidget(note)
        inner.addWidget(self.rooms)
        inner.addWidget(self.report, 1)
        self.import_button.clicked.connect(self._import_clicked)
        return box

    def _ask_files(self) -> list[str]:
        chosen, _filter = QFileDialog.getOpenFileNames(self, "选择要导入的报送文件",
                                                       prefs.last_folder(FOLDER_KEY), _FILTER)
        return list(chosen)

    def _import_clicked(self) -> None:
        paths = self.choose_files()
        if paths:
            prefs.remember_folder(FOLDER_KEY, str(Path(paths[0]).parent))
            self.import_paths(paths)

    def _show_rooms(self) -> None:
        pinned = exchange.pinned_rooms(self.shell.ctx)
        self.rooms.setText("已登记签名指纹的调解室：" + (
            "".join(f"\n{fingerprint}　{name}" for name, fingerprint in pinned) if pinned else "（尚无）"))

    def import_paths(self, paths: list[str]) -> None:
        ctx = self.shell.ctx
        self._begin(f"正在核对 {len(paths)} 个文件…")
        self.shell.runner.start(lambda _p: exchange.rooms_to_confirm(ctx, paths),
                                lambda checks: self._confirm_rooms(paths, checks), self._failed)

    def _confirm_rooms(self, paths: list[str], checks: list[RoomCheck]) -> None:
        """Ask the clerk to compare each new (or changed) room's fingerprint with what the room reads out."""
        for check in checks:
            if check.pinned is None:
                title = "核对新调解室的签名指纹"
                text = (f"“{check.room}”第一次向本台账报送（文件“{check.file}”）。\n\n"
                        f"文件的签名指纹：\n\n        {check.fingerprint}\n\n"
                        "请打电话给该调解室，请对方读出其“数据交换”页面上显示的“本调解室的签名指纹”。\n"
                        "完全一致才点“是”导入；不一致请点“否”，不要导入这个文件。")
            else:
                title = "调解室的签名密钥变了"
                text = (f"文件“{check.file}”自称来自“{check.room}”，但签名指纹与本台账登记的不同：\n\n"
                        f"登记的指纹：{check.pinned}\n文件的指纹：{check.fingerprint}\n\n"
                        "如果该调解室没有更换电脑或重建台账，这个文件可能是伪造的，请点“否”。\n"
                        "只有电话核对该调解室现在显示的指纹与“文件的指纹”完全一致时，才点“是”。")
            if not msgbox.confirm(self, title, text):
                self._end()
                self.report.setPlainText(f"没有导入：未确认“{check.room}”的签名指纹（文件“{check.file}”）。")
                return
        ctx, confirmed = self.shell.ctx, [c.fingerprint for c in checks]
        self.progress.setFormat(f"正在导入 {len(paths)} 个文件…")
        self.shell.runner.start(lambda _p: exchange.import_files(ctx, paths, fingerprints=confirmed),
                                self._imported, self._failed)

    def _imported(self, report: ImportReport) -> None:
        self._end()
        self._show_rooms()
        self.last_import = report
        summary = "导入完成。" if report.changed else "导入完成：本台账已有这些数据，没有变化。"
        self.report.setPlainText("\n".join([*report.lines(), summary]))
        msgbox.info(self, "导入完成", summary)

    # -- both --------------------------------------------------------------------------------

    def _begin(self, text: str) -> None:
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setFormat(text)
        self.progress.show()

    def _end(self) -> None:
        self.progress.hide()
        self.export_button.setEnabled(permissions.allowed(self.shell.ctx, Permission.EXPORT))
        self.import_button.setEnabled(permissions.allowed(self.shell.ctx, Permission.IMPORT))

    def _failed(self, message: str, _is_bug: bool) -> None:
        self._end()
        msgbox.error(self, "操作未完成", message)
