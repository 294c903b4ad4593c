"""Checks the program makes before anyone works on the register: is it whole, and is it somewhere safe?

Both run before the register is opened, from the flags the program was
started with, and answer in plain Chinese with what to do, never with a
traceback: a register that cannot even be opened must still be explained.
The check of a whole register imports nothing heavier than ``sqlite3``: at
start-up it runs while the rest of the program is still being imported.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from wuye_desktop.storage.backup import quick_problems
from wuye_desktop.storage.paths import DataPaths, looks_like_network_path, resolve_data_dir

NETWORK_FILESYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ceph"})


@dataclass(frozen=True)
class StartupProblem:
    message: str  # what is wrong and the way out, for a message box
    backup: str | None  # the newest verified backup to go back to, if there is one


def register_file(data_dir: str | None = None, db_url: str | None = None) -> tuple[DataPaths, Path | None]:
    """The data folder and the SQLite file in use; no file for a register on a server."""
    paths = resolve_data_dir(data_dir)
    url = db_url or os.environ.get("WUYE_DB_URL")
    if not url:
        return paths, paths.database
    from sqlalchemy.engine import make_url

    from wuye_desktop.services.server.connection import register_url

    parsed = make_url(register_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return paths, None
    return paths, Path(parsed.database)


def quick_check(*, data_dir: str | None = None, db_url: str | None = None) -> StartupProblem | None:
    """SQLite's quick check of the register (under a second for 100,000 cases); ``None`` when it is whole."""
    paths, live = register_file(data_dir, db_url)
    if live is None or not live.is_file() or live.stat().st_size == 0:
        return None  # a server, or a first start that is about to create the register
    problems = quick_problems(live)
    if not problems:
        return None
    what = "；".join(problems[:2])
    from wuye_desktop.services.safety.backups import latest_good

    good = latest_good(paths) if paths.backups.is_dir() else []
    if not good:
        return StartupProblem(
            f"台账数据库已损坏，不能继续使用：{what}。\n\n"
            "本机没有找到完好的备份。请不要删除数据文件夹，先联系技术支持；"
            "如果U盘或其他电脑上有备份，可以运行 wuye restore 备份文件 来恢复。",
            None,
        )
    best = good[0]
    return StartupProblem(
        f"台账数据库已损坏，不能继续使用：{what}。\n\n"
        f"解决办法：恢复最近一次完好的备份——{best.created:%Y年%m月%d日 %H:%M}的{best.kind.label}"
        f"（{best.cases} 件案件）：\n{best.path}\n\n"
        "恢复前，损坏的文件会另存到备份文件夹，不会被删除。"
        f"也可以在命令行运行：wuye restore \"{best.path}\"",
        str(best.path),
    )


def network_warning(*, data_dir: str | None = None, db_url: str | None = None) -> str | None:
    """A warning when the SQLite register sits on a network share, else ``None``."""
    paths, live = register_file(data_dir, db_url)
    if live is None:
        return None  # a server register is the safe way to share
    # The folder as typed too: off Windows a UNC name like \\server\share is not parsed as a path.
    for place in (live.parent, paths.root, *([Path(data_dir)] if data_dir else [])):
        if looks_like_network_path(place) or on_network_mount(place):
            return (f"台账所在的文件夹“{place}”位于网络共享上。把台账文件放在网络共享上并不安全："
                    "网络中断或几台电脑同时保存都可能损坏台账。请把数据文件夹放在本机硬盘上；"
                    "几台电脑需要共用一本台账时，请改用共用服务器模式（PostgreSQL，启动时加 --db-url）。")
    return None


def on_network_mount(path: Path, mounts: str | None = None) -> bool:
    """On Linux: whether ``path`` lies on an NFS/SMB/... mount (``mounts`` as in /proc/mounts)."""
    if mounts is None:
        if not sys.platform.startswith("linux"):
            return False
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    target = os.path.abspath(path)
    best, best_type = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, best_type = point, fields[2]
    return best_type in NETWORK_FILESYSTEMS
