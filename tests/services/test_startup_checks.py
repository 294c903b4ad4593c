"""Before the window opens: a damaged register is explained with the way out (and can be recovered
from the newest good backup); a register on a network share gets a warning.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from wuye_desktop.errors import StorageError
from wuye_desktop.services import demo
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.checks import network_warning, on_network_mount, quick_check
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.check import check_register

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _register(data_dir: Path, cases: int, auto_backups: int = 0) -> list[str]:
    """A register with demo cases and that many automatic backups (one per day); their paths."""
    from dataclasses import replace
    from datetime import date, timedelta

    db = open_register(data_dir=str(data_dir))
    try:
        ctx = Context(db)
        demo.generate(ctx, cases, seed=8)
        made = []
        for n in range(auto_backups):
            info = backups.on_startup(replace(ctx, today_override=date(2026, 11, 1) + timedelta(days=n)))
            assert info is not None
            made.append(info.path)
        return made
    finally:
        db.dispose()


def _damage(live: Path) -> None:
    """A bad sector in the middle of the case table."""
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'mediation_case' AND pagetype = 'leaf' ORDER BY pageno")]
    conn.close()
    with live.open("r+b") as fh:
        fh.seek((pages[len(pages) // 2] - 1) * page_size)
        fh.write(b"\xba\xad" * (page_size // 2))


def test_a_whole_register_a_missing_one_and_a_server_pass_quietly(data_dir: Path) -> None:
    assert quick_check(data_dir=str(data_dir)) is None, "first start: nothing to check yet"
    _register(data_dir, 5)
    assert quick_check(data_dir=str(data_dir)) is None
    assert quick_check(data_dir=str(data_dir), db_url="postgresql+psycopg://u@server/wuye") is None


def test_a_damaged_register_is_explained_with_the_newest_good_backup(data_dir: Path) -> None:
    made = _register(data_dir, 300, auto_backups=2)
    _damage(data_dir / "wuye.db")

    problem = quick_check(data_dir=str(data_dir))

    assert problem is not None
    assert problem.backup == made[-1]
    assert "台账数据库已损坏" in problem.message and "恢复最近一次完好的备份" in problem.message
    assert made[-1] in problem.message and f'wuye restore "{made[-1]}"' in problem.message
    assert "Traceback" not in problem.message and CHINESE.search(problem.message)


def test_a_damaged_register_without_backups_says_whom_to_ask(data_dir: Path) -> None:
    _register(data_dir, 300)
    _damage(data_dir / "wuye.db")
    problem = quick_check(data_dir=str(data_dir))
    assert problem is not None and problem.backup is None
    assert "没有找到完好的备份" in problem.message and "不要删除数据文件夹" in problem.message


def test_recovery_restores_the_newest_backup_that_passes_its_checks(data_dir: Path) -> None:
    made = _register(data_dir, 300, auto_backups=2)
    with sqlite3.connect(made[-1]) as tamper:  # the newest backup changed after it was written
        tamper.execute("UPDATE mediation_case SET summary = '改过' WHERE id = 1")
    tamper.close()
    _damage(data_dir / "wuye.db")

    used, result = restore.recover(str(data_dir))

    assert str(used.path) == made[0]
    assert result.cases == 300 and not result.safety_copy_whole
    assert quick_check(data_dir=str(data_dir)) is None
    assert check_register(data_dir=str(data_dir)).ok


def test_recovery_refuses_to_touch_a_register_that_is_not_damaged(data_dir: Path) -> None:
    _register(data_dir, 5, auto_backups=1)
    with pytest.raises(StorageError) as refused:
        restore.recover(str(data_dir))
    assert "没有损坏" in refused.value.message


# -- a data folder on a network share ------------------------------------------------------------


@pytest.mark.parametrize("folder", ["//nas/调解室/台账", "\\\\server\\share\\wuye"])
def test_a_data_folder_on_a_network_share_is_warned_about(folder: str) -> None:
    warning = network_warning(data_dir=folder)
    assert warning is not None
    assert "网络共享" in warning and "共用服务器模式" in warning and "--db-url" in warning


def test_a_local_folder_or_a_server_register_gets_no_warning(tmp_path: Path) -> None:
    assert network_warning(data_dir=str(tmp_path)) is None
    assert network_warning(data_dir="//nas/share", db_url="postgresql+psycopg://u@server/wuye") is None
    assert network_warning(data_dir=str(tmp_path), db_url="sqlite://///nas/share/wuye.db") is not None


MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
//nas/调解室 /mnt/share cifs rw,vers=3.0 0 0
server:/export /srv/nfs\\040home nfs4 rw 0 0
tmpfs /mnt/share/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(("path", "network"), [
    ("/mnt/share/台账", True),
    ("/srv/nfs home/wuye", True),
    ("/mnt/share/local/wuye", False),  # a local mount inside the share: the innermost mount decides
    ("/mnt/shared", False),
    ("/home/clerk", False),
])
def test_linux_network_mounts_are_recognised(path: str, network: bool) -> None:
    assert on_network_mount(Path(path), MOUNTS) is network
