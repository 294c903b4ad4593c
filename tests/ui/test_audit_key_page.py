"""The 审计记录 page on a PC without the register's audit key: it says so, and how to bring the key over."""

from __future__ import annotations

from pathlib import Path

import pytest

from wuye_desktop.services import demo
from wuye_desktop.services.context import Context
from wuye_desktop.ui.audit_page import AuditPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


def test_the_chain_check_says_the_key_is_not_on_this_pc(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    demo.generate(ctx, 10, seed=3)
    page = AuditPage(Shell(ctx, ChangeBus(), Runner(), "测试数据库"))
    qtbot.addWidget(page)
    page.resize(1100, 640)
    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "another-pc"))  # the register, copied to another PC
    page.verify_button.click()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=10_000)
    assert page.chain_label.text().startswith("✘ 本机无法核对审计记录：没有这本台账的审计密钥")
    assert "wuye audit import-key" in page.problems.toPlainText() and page.problems.isVisibleTo(page)
    page.grab().save(str(tmp_path / "audit-no-key.png"))
