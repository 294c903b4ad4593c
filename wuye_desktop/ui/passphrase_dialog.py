"""The passphrase of an encrypted backup: chosen (typed twice) for a backup to a USB stick, typed once
to restore one. The rule for a new one is the services' (``backups.check_passphrase``); a problem is
shown in red beside its field and what was typed stays.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from wuye_desktop.errors import ValidationError
from wuye_desktop.services.safety import backups
from wuye_desktop.ui.field_form import ErrorLabel, FieldForm, note, password_field


class PassphraseDialog(QDialog):
    """``choosing``: a new backup's passphrase, asked twice; otherwise the one a backup was made with."""

    def __init__(self, parent: QWidget | None, *, choosing: bool, where: str) -> None:
        super().__init__(parent)
        self.choosing = choosing
        self.setWindowTitle("设置备份密码" if choosing else "输入备份密码")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"备份将写到数据文件夹以外的“{where}”（例如U盘），会用密码加密，别人拿到U盘也看不到台账内容。"
            if choosing else f"备份“{where}”已加密，请输入备份时设置的密码。")
        intro.setWordWrap(True)
        self.first = password_field(f"至少 {backups.PASSPHRASE_MIN} 个字符，可以用中文" if choosing else "")
        self.again = password_field()
        self.form = FieldForm()
        self.form.add("passphrase", "备份密码", self.first)
        if choosing:
            self.form.add("again", "再次输入", self.again)
        self.message = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("开始备份" if choosing else "确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        if choosing:
            layout.addWidget(note("程序不保存这个密码：恢复这份备份时必须输入它，忘记了就无法恢复。"
                                  "请把它记在与U盘分开保管的地方。"))
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.first.setFocus()

    def submit(self) -> None:
        text = self.first.text()
        try:
            if self.choosing:
                backups.check_passphrase(text)
                if self.again.text() != text:
                    raise ValidationError.single("again", "两次输入的备份密码不一致")
            elif not text:
                raise ValidationError.single("passphrase", "请输入备份密码")
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        self.accept()

    def passphrase(self) -> str:
        return self.first.text()
