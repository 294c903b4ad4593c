"""The 备份恢复 page: the backups there are, a backup to a USB stick now, and putting one back.

Backups and restores run through the shell's runner with a progress bar;
a backup can be cancelled (and is, if the window closes while it runs),
leaving no half-written file. A backup to a folder outside the data folder
asks for a passphrase (twice) and is encrypted; restoring an encrypted one
asks for it again. A restore asks first; a backup that is not one of this
register's own (the services say why) is restored only if the user says yes
to a second question, whose default is 否. Its change set (the whole
register replaced) reloads every open view.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import permissions, settings
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.backups import BackupInfo
from wuye_desktop.services.safety.restore import Prepared, RestoreResult
from wuye_desktop.ui import msgbox, prefs
from wuye_desktop.ui.passphrase_dialog import PassphraseDialog
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view
from wuye_desktop.ui.shell import Shell

FOLDER_KEY = "backup"
GREEN, RED, GREY = "#1e7b34", "#b3261e", "#8a8a8a"
DECLINED = "第二次询问时选择了“否”，没有恢复"


def size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def verified_text(b: BackupInfo) -> str:
    if not b.present:
        return "文件不在"
    return {True: "✔ 校验通过", False: "✘ 未通过", None: "未登记"}[b.verified]


def _verified_colour(b: BackupInfo) -> str | None:
    if not b.present or b.verified is None:
        return GREY
    return GREEN if b.verified else RED


COLUMNS: tuple[Column[BackupInfo], ...] = (
    Column("备份时间", lambda b: f"{b.created:%Y-%m-%d %H:%M}"),
    Column("类型", lambda b: b.kind),
    Column("大小", lambda b: size_text(b.size), align_right=True),
    Column("案件数", lambda b: "" if b.cases is None else str(b.cases), align_right=True),
    Column("校验", verified_text, colour=_verified_colour,
           tooltip=lambda b: f"SHA-256：{b.sha256}" if b.sha256 else "这个文件不在备份记录中"),
    Column("加密", lambda b: "已加密" if b.encrypted else "",
           tooltip=lambda b: "恢复时需要备份时设置的密码" if b.encrypted else ""),
    Column("位置", lambda b: b.path),
)


class BackupPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self._cancel: threading.Event | None = None
        self._busy_with = ""  # "backup" or "restore" while a job runs
        # Seams for tests (a person answers these through Qt's file dialogs).
        self.choose_folder: Callable[[], str] = self._ask_folder
        self.choose_file: Callable[[], str] = self._ask_file
        self.ask_passphrase: Callable[[bool, str], str | None] = self._ask_passphrase

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model: RowsModel[BackupInfo] = RowsModel(COLUMNS, self)
        self.table = table_view(self.model)
        fit_columns(self.table, (9, 6, 5, 4, 6, 5))

        self.backup_button = QPushButton("立即备份…")
        self.backup_button.setToolTip("把台账和附件备份到您选择的文件夹，例如U盘")
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_file_button = QPushButton("从文件恢复…")
        self.cancel_button = QPushButton("取消备份")
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, backups.PROGRESS_TOTAL)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel()

        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self._retention_row())
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

        self.backup_button.clicked.connect(self.start_backup)
        self.restore_button.clicked.connect(self._restore_selected)
        self.restore_file_button.clicked.connect(self._restore_from_file)
        self.cancel_button.clicked.connect(self.cancel)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.refresh()

    def _retention_row(self) -> QHBoxLayout:
        """How many automatic backups to keep: shown to those who may change settings."""
        self.keep: dict[str, QSpinBox] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("自动备份保留：最近"))
        for key, unit in ((settings.BACKUP_KEEP_DAILY, "天、"), (settings.BACKUP_KEEP_WEEKLY, "周、"),
                          (settings.BACKUP_KEEP_MONTHLY, "个月的备份")):
            low, high = settings.BACKUP_KEEP_LIMITS[key]
            spin = QSpinBox(minimum=low, maximum=high)
            self.keep[key] = spin
            row.addWidget(spin)
            row.addWidget(QLabel(unit))
        self.keep_button = QPushButton("保存保留份数")
        self.keep_button.clicked.connect(self.save_retention)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        if permissions.allowed(self.shell.ctx, Permission.SETTINGS):
            return row
        for index in range(row.count()):  # hidden, never shown: unplaced, each would open as a window of its own
            item = row.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
        return row

    def save_retention(self) -> None:
        try:
            for key, spin in self.keep.items():
                if spin.value() != int(settings.get(self.shell.ctx, key)):
                    settings.put(self.shell.ctx, key, spin.value())
        except DomainError as exc:
            msgbox.error(self, "没有保存", exc.message)
        self.refresh()

    # -- showing -----------------------------------------------------------------------------

    @property
    def local(self) -> bool:
        return backups.is_local(self.shell.ctx)

    def refresh(self) -> None:
        ctx = self.shell.ctx
        if not self.local:
            self.intro.setText(backups.SERVER_MESSAGE)
            self.model.set_rows([])
        else:
            rule = backups.retention(ctx)
            for key, kept in zip(self.keep, (rule.daily, rule.weekly, rule.monthly), strict=True):
                self.keep[key].setValue(kept)
            self.intro.setText(
                f"程序每天第一次启动时和退出时会自动备份到数据文件夹的“backups”中，保留最近 {rule.daily} 天、"
                f"{rule.weekly} 周和 {rule.monthly} 个月的备份；每份备份写入后都会校验。"
                "建议每周用“立即备份…”另存一份到U盘，U盘和电脑分开保管；备份到U盘时会用您设置的密码加密。")
            self.model.set_rows(backups.list_backups(ctx))
        self._enable()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()  # an automatic backup may have been made since the page was last seen
        super().showEvent(event)

    def _enable(self) -> None:
        idle = not self._busy_with
        may_restore = permissions.allowed(self.shell.ctx, Permission.RESTORE)
        self.backup_button.setEnabled(idle and self.local)
        self.keep_button.setEnabled(self.local)
        self.restore_file_button.setEnabled(idle and self.local and may_restore)
        row = selected_row(self.table)
        present = row >= 0 and self.model.row_at(row).present
        self.restore_button.setEnabled(idle and self.local and may_restore and present)
        if not may_restore:
            self.restore_button.setToolTip("恢复备份需要管理员权限")

    # -- backing up --------------------------------------------------------------------------

    def _ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, "选择备份位置（例如U盘）", prefs.last_folder(FOLDER_KEY))

    def _ask_passphrase(self, choosing: bool, where: str) -> str | None:
        dialog = PassphraseDialog(self, choosing=choosing, where=where)
        try:
            return dialog.passphrase() if dialog.exec() == PassphraseDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def start_backup(self) -> None:
        folder = self.choose_folder()
        if not folder:
            return
        prefs.remember_folder(FOLDER_KEY, folder)
        ctx = self.shell.ctx
        passphrase = None
        try:
            leaves = backups.leaves_the_pc(ctx, folder)
        except DomainError as exc:
            msgbox.error(self, "备份没有完成", exc.message)
            return
        if leaves:
            passphrase = self.ask_passphrase(True, folder)
            if passphrase is None:
                self.status.setText("没有备份：没有设置备份密码。")
                return
        cancel = threading.Event()
        self._cancel = cancel

        def job(progress: Callable[[int, int], None]) -> BackupInfo:
            return backups.back_up(ctx, folder, progress=progress, cancelled=cancel.is_set, passphrase=passphrase)

        self._begin("backup", f"正在备份到 {folder} …")
        self.shell.runner.start(job, self._backup_done, self._failed, self._progress)

    def _backup_done(self, info: BackupInfo) -> None:
        sealed = "，已加密" if info.encrypted else ""
        self._end(f"备份完成：{info.path}（{size_text(info.size)}，{info.cases} 件案件，已校验{sealed}）")
        self.refresh()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText("正在取消备份…")

    def may_close(self) -> bool:
        """Asked by the main window before it closes: a running backup is cancelled if the user agrees."""
        if self._busy_with != "backup":
            return True  # idle, or a restore: that finishes as one transaction while the window waits
        if not msgbox.confirm(self, "备份尚未完成",
                              "正在备份。现在退出会取消这次备份（不会留下不完整的文件）。仍要退出吗？"):
            return False
        self.cancel()
        return True

    # -- restoring ---------------------------------------------------------------------------

    def _ask_file(self) -> str:
        chosen, _filter = QFileDialog.getOpenFileName(self, "选择要恢复的备份文件", prefs.last_folder(FOLDER_KEY),
                                                      f"台账备份 (*.db *{backups.ENCRYPTED_SUFFIX})")
        return chosen

    def _restore_selected(self) -> None:
        row = selected_row(self.table)
        if row >= 0:
            info = self.model.row_at(row)
            self.start_restore(info.path, f"{info.created:%Y年%m月%d日 %H:%M}的{info.kind}")

    def _restore_from_file(self) -> None:
        chosen = self.choose_file()
        if chosen:
            prefs.remember_folder(FOLDER_KEY, chosen)
            self.start_restore(chosen, f"文件“{Path(chosen).name}”")

    def start_restore(self, file: str, described: str) -> None:
        question = (f"确定要用{described}恢复台账吗？\n\n恢复后，台账会变成备份时的样子，备份之后登记和修改的内容"
                    "将不在台账中。恢复前，程序会先把现在的台账另存一份到备份文件夹。\n\n"
                    "如果其他电脑或窗口正在使用这本台账，请先让他们保存并退出。")
        if not msgbox.confirm(self, "恢复备份", question):
            return
        passphrase = None
        if restore.is_encrypted(file):
            passphrase = self.ask_passphrase(False, Path(file).name)
            if passphrase is None:
                self.status.setText("没有恢复：没有输入备份密码。")
                return
        ctx = self.shell.ctx

        def job(progress: Callable[[int, int], None]) -> Prepared:
            return restore.prepare(ctx, file, passphrase, progress)

        self._begin("restore", "正在校验备份…")
        self.shell.runner.start(job, self._prepared, self._failed, self._progress)

    def _prepared(self, prepared: Prepared) -> None:
        """Every check passed; a backup that is not this register's own needs a second yes."""
        confirmed = False
        if prepared.warning:
            confirmed = msgbox.confirm(self, "这份备份可能不是本台账的", (
                f"注意：{prepared.warning}。\n\n这样的备份可能来自别的调委会，也可能被人改动过（例如金额、当事人或"
                "账户）。只有确知它的来历时才用它恢复。两种选择都会记入审计记录。\n\n仍要用它恢复吗？"),
                default=False)
            if not confirmed:
                try:
                    restore.decline(self.shell.ctx, prepared, DECLINED)
                except DomainError as exc:
                    msgbox.error(self, "恢复没有完成", exc.message)
                self._end("没有恢复：这份备份不是本台账自己的备份，台账没有改动。")
                self.refresh()
                return
        ctx = self.shell.ctx

        def job(progress: Callable[[int, int], None]) -> RestoreResult:
            return restore.apply(ctx, prepared, progress, confirmed=confirmed)

        self.status.setText("正在恢复台账…")
        self.progress.setValue(0)
        self.shell.runner.start(job, self._restore_done, self._failed, self._progress)

    def _restore_done(self, result: RestoreResult) -> None:
        self._end("恢复完成。")
        lines = [f"台账已恢复为备份中的内容，共 {result.cases} 件案件。"]
        if result.upgraded:
            lines.append("这份备份来自旧版本程序，已自动升级到当前版本。")
        if result.safety_copy:
            lines.append(f"恢复前的台账另存为：{result.safety_copy}")
        if result.attachments_missing:
            lines.append(f"注意：有 {result.attachments_missing} 个附件文件在备份中找不到。")
        if result.warning:
            lines.append("您已再次确认用这份不在本台账备份记录中的备份恢复，这一决定已记入审计记录。")
        msgbox.info(self, "恢复完成", "\n".join(lines))
        self.refresh()

    # -- while a job runs --------------------------------------------------------------------

    def _begin(self, what: str, text: str) -> None:
        self._busy_with = what
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setVisible(what == "backup")
        self.status.setText(text)
        self._enable()

    def _end(self, text: str) -> None:
        self._busy_with = ""
        self._cancel = None
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(text)
        self._enable()

    @property
    def busy(self) -> bool:
        return bool(self._busy_with)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(backups.PROGRESS_TOTAL * done // max(total, 1))

    def _failed(self, message: str, is_bug: bool) -> None:
        what = "备份" if self._busy_with == "backup" else "恢复"
        cancelled = self._cancel is not None and self._cancel.is_set()
        self._end(message if cancelled else f"{what}没有完成。")
        if not cancelled:
            msgbox.error(self, f"{what}没有完成", message)
        self.refresh()
