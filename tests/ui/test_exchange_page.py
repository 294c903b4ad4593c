"""The 数据交换 page: export a month, import it at the county with a report, test and save a server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pg_throwaway import ThrowawayServer
from PySide6.QtGui import QInputMethodEvent

from wuye_desktop.services import demo, exchange, server
from wuye_desktop.services.cases.listing import CaseFilter, count
from wuye_desktop.services.changes import Topic
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.exchange_page import ExchangePage
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


@pytest.fixture
def answers() -> Iterator[list[tuple[str, str, str]]]:
    said: list[tuple[str, str, str]] = []

    def respond(kind: str, title: str, text: str) -> bool:
        said.append((kind, title, text))
        return True

    msgbox.responder = respond
    yield said
    msgbox.responder = None


def page_for(ctx: Context, qtbot) -> ExchangePage:  # type: ignore[no-untyped-def]
    page = ExchangePage(Shell(ctx, ChangeBus(), Runner(), ctx.db.display_location))
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    return page


def test_export_a_month_and_import_it_at_the_county(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     answers: list[tuple[str, str, str]]) -> None:
    room_db = open_register(data_dir=str(tmp_path / "room"))
    try:
        room = Context(room_db, User("管理员"), today_override=ctx.today())
        demo.generate(room, 80, seed=4)
        room_page = page_for(room, qtbot)
        assert (room_page.year.value(), room_page.number.value()) == (2026, 10)  # last month by default
        room_page.number.setValue(11)
        out = tmp_path / "幸福里-2026-11.wyx"
        fingerprint = exchange.signing_fingerprint(room)
        assert fingerprint in room_page.fingerprint.text()  # what the room reads out on the phone
        room_page.export_to(str(out))
        qtbot.waitUntil(lambda: room_page.last_export is not None, timeout=10_000)
        assert out.exists() and "已导出2026年11月的" in room_page.export_status.text()
        assert answers[-1][:2] == ("info", "导出完成") and fingerprint in answers[-1][2]
        room_page.grab().save(str(tmp_path / "exchange-room.png"))

        county_page = page_for(ctx, qtbot)
        assert "尚无" in county_page.rooms.text()
        with qtbot.waitSignal(county_page.shell.bus.changed, timeout=10_000,
                              check_params_cb=lambda changes: changes.touches(Topic.CASES)) as announced:
            county_page.import_paths([str(out)])
        _kind, title, text = next(a for a in answers if a[0] == "confirm")
        assert title == "核对新调解室的签名指纹" and fingerprint in text and "幸福里社区人民调解委员会" in text
        assert announced.args[0].case_ids is None or len(announced.args[0].case_ids) > 0
        qtbot.waitUntil(lambda: county_page.last_import is not None, timeout=10_000)
        cases = room_page.last_export.cases if room_page.last_export else 0
        assert count(ctx, CaseFilter()) == cases > 0
        assert f"新增 {cases} 件" in county_page.report.toPlainText()
        assert fingerprint in county_page.rooms.text()
        county_page.grab().save(str(tmp_path / "exchange-county.png"))
    finally:
        room_db.dispose()


def test_a_new_room_not_confirmed_is_not_imported(qtbot, ctx: Context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    room_db = open_register(data_dir=str(tmp_path / "room"))
    asked: list[str] = []

    def decline(kind: str, _title: str, text: str) -> bool:
        asked.append(kind)
        return kind != "confirm"  # the fingerprint the room read out was different

    msgbox.responder = decline
    try:
        room = Context(room_db, User("管理员"), today_override=ctx.today())
        demo.generate(room, 20, seed=4)
        out = exchange.export_period(room, "2026", tmp_path / "room.wyx").path
        page = page_for(ctx, qtbot)
        page.import_paths([str(out)])
        qtbot.waitUntil(lambda: "没有导入" in page.report.toPlainText(), timeout=10_000)
        assert asked == ["confirm"] and count(ctx, CaseFilter()) == 0 and exchange.pinned_rooms(ctx) == []
        assert page.import_button.isEnabled() and page.last_import is None
    finally:
        msgbox.responder = None
        room_db.dispose()


def test_a_damaged_file_is_shown_as_refused(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            answers: list[tuple[str, str, str]]) -> None:
    bad = tmp_path / "bad.wyx"
    bad.write_bytes(b"PK\x03\x04 not really an exchange file")
    page = page_for(ctx, qtbot)
    page.import_paths([str(bad)])
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    kind, _title, text = answers[-1]
    assert kind == "error" and "bad.wyx" in text and "没有导入任何数据" in text
    assert page.import_button.isEnabled()


def test_quarter_and_year_are_offered(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    page = page_for(ctx, qtbot)
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    page.number.setValue(4)
    assert page.period().label == "2026Q4"
    page.kind.setCurrentIndex(page.kind.findData("year"))
    assert page.period().label == "2026" and page.number.isHidden()


def _type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.setFocus()
    widget.inputMethodEvent(event)


def test_server_form_tests_and_saves_a_connection(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  answers: list[tuple[str, str, str]]) -> None:
    pg = ThrowawayServer()
    pg.start()
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # this machine has no keyring, like many a Linux box
    try:
        pg.create_database("wuye_ui")
        page = page_for(ctx, qtbot)
        form = page.server_form
        form.host.clear()
        form.test()
        assert not form.errors["host"].isHidden()  # an empty address is marked, nothing is tried

        form.host.setText("127.0.0.1")
        form.port.setText(str(pg.port))
        form.database.setText("wuye_ui")
        form.user.setText("postgres")
        form.test()
        qtbot.waitUntil(lambda: form.result.text().startswith(("✔", "✘")), timeout=15_000)
        assert form.result.text().startswith("✔ 连接成功") and "wuye init" in form.result.text()

        form.port.setText("1")
        form.test()
        qtbot.waitUntil(lambda: "✘" in form.result.text(), timeout=15_000)
        assert "无法连接数据库服务器" in form.result.text()
        page.grab().save(str(tmp_path / "exchange-server.png"))

        form.port.setText(str(pg.port))
        _type_chinese(form.password, "密码")
        form.save()
        assert answers[-1][0] == "error" and "没有可用的系统密码库" in answers[-1][2]
        assert ctx.db.paths is not None and not (ctx.db.paths.root / server.PROFILE_FILE).exists()

        form.password.clear()
        form.save()
        assert answers[-1][:2] == ("info", "连接设置已保存")
        assert server.load_profile(ctx.db.paths.root) == server.ConnectionProfile("127.0.0.1", pg.port, "wuye_ui",
                                                                                   "postgres")
        assert not form.local_button.isHidden()
        form.use_local()
        assert server.load_profile(ctx.db.paths.root) is None
    finally:
        keyring.set_keyring(before)
        pg.remove()
