"""The 共享服务器 box of the 数据交换 page: where the shared register is, a 测试连接 button, save or go back.

The password goes to the system keyring (services/server/connection.py), never to a file.
A test runs in the background (a server that does not answer takes a few
seconds to give up); saving takes effect the next time the program starts.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.services import permissions, server
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.server.connection import ConnectionProfile, ServerInfo
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.shell import Shell

_HINT = ("几台电脑共用一本台账时，台账放在单位的 PostgreSQL 服务器上。填写服务器管理员给您的连接信息，"
         "先点“测试连接”，通过后再保存；保存后重新启动程序即连接服务器。密码保存在系统的密码库中，不会写入文件。")


class ServerForm(QGroupBox):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__("共享服务器", parent)
        self.shell = shell
        self.host = QLineEdit(placeholderText="例如 192.168.1.10")
        self.port = QLineEdit(str(server.DEFAULT_PORT))
        self.port.setMaximumWidth(90)
        self.database = QLineEdit("wuye")
        self.user = QLineEdit(placeholderText="服务器管理员分配的用户名")
        self.password = QLineEdit(placeholderText="留空表示服务器允许本机免密码连接")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {name: QLabel() for name in ("host", "port", "database", "user")}
        for label in self.errors.values():
            label.setStyleSheet("color: #b3261e")
            label.hide()

        hint = QLabel(_HINT)
        hint.setWordWrap(True)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.test_button = QPushButton("测试连接")
        self.save_button = QPushButton("保存连接设置")
        self.local_button = QPushButton("改回使用本机台账")

        form = QFormLayout()
        for title, field, key in (("服务器地址", self.host, "host"), ("端口", self.port, "port"),
                                  ("数据库名称", self.database, "database"), ("用户名", self.user, "user")):
            form.addRow(title, field)
            form.addRow("", self.errors[key])
        form.addRow("密码", self.password)
        buttons = QHBoxLayout()
        for button in (self.test_button, self.save_button, self.local_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.current)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.local_button.clicked.connect(self.use_local)
        allowed = permissions.allowed(shell.ctx, Permission.SETTINGS)
        for widget in (self.save_button, self.local_button):
            widget.setEnabled(allowed)
            if not allowed:
                widget.setToolTip("修改连接设置需要管理员权限")
        self._busy = False
        self.refresh()

    def refresh(self) -> None:
        saved = None
        if permissions.allowed(self.shell.ctx, Permission.SETTINGS):
            try:
                saved = server.connection_settings(self.shell.ctx)
            except DomainError as exc:
                self.current.setText(exc.message)
                return
        if saved is not None:
            self.host.setText(saved.host)
            self.port.setText(str(saved.port))
            self.database.setText(saved.database)
            self.user.setText(saved.user)
        where = f"本机设置为连接服务器 {saved.display}" if saved else "本机设置为使用本机台账"
        self.current.setText(f"正在使用的台账：{self.shell.location}\n{where}")
        self.local_button.setVisible(saved is not None)

    def profile(self) -> ConnectionProfile | None:
        """The form as a profile, or None with each wrong field marked."""
        for label in self.errors.values():
            label.hide()
        try:
            return server.clean_profile(self.host.text(), self.port.text(), self.database.text(), self.user.text())
        except ValidationError as exc:
            for name, message in exc.errors.items():
                self.errors[name].setText(message)
                self.errors[name].show()
            return None

    def test(self) -> None:
        profile = self.profile()
        if profile is None or self._busy:
            return
        url = profile.url(self.password.text())
        self._busy = True
        self.test_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(f"正在连接 {profile.display} …")
        self.shell.runner.start(lambda _progress: server.test_connection(url), self._tested, self._failed)

    def _tested(self, info: ServerInfo) -> None:
        self._busy = False
        self.test_button.setEnabled(True)
        self.result.setStyleSheet("color: #1e7b34")
        self.result.setText("✔ " + "；".join(info.lines()))

    def _failed(self, message: str, _is_bug: bool) -> None:
        self._busy = False
        self.test_button.setEnabled(True)
        self.result.setStyleSheet("color: #b3261e")
        self.result.setText("✘ " + message)

    def save(self) -> None:
        profile = self.profile()
        if profile is None:
            return
        try:
            server.save_connection(self.shell.ctx, profile, self.password.text())
        except DomainError as exc:
            msgbox.error(self, "连接设置未保存", exc.message)
            return
        self.password.clear()
        msgbox.info(self, "连接设置已保存",
                    f"已保存服务器 {profile.display}。请重新启动程序，之后本机将使用服务器上的台账。")
        self.refresh()

    def use_local(self) -> None:
        if not msgbox.confirm(self, "改回使用本机台账",
                              "重新启动程序后，本机将不再连接服务器，而是打开本机的台账文件。确定吗？"):
            return
        try:
            server.use_local_register(self.shell.ctx)
        except DomainError as exc:
            msgbox.error(self, "未能修改连接设置", exc.message)
            return
        msgbox.info(self, "已改回本机台账", "请重新启动程序。")
        self.refresh()
