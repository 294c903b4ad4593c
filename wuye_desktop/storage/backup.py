"""Copies of a live SQLite register made with SQLite's online backup API.

Never a file copy: a copy taken while another process writes can be torn.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from wuye_desktop.services.errors import StorageError

Progress = Callable[[int, int], None]


def online_backup(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy ``source`` to ``target`` page by page while others may keep writing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            def report(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=report)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    problems = integrity_problems(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise StorageError("备份写入后校验失败：" + "；".join(problems[:3]))
    partial.replace(target)


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's own integrity and foreign-key checks find wrong; empty when clean."""
    try:
        # In a URI "#" starts a fragment and "?" the options: a folder named "3#楼" must still be found.
        escaped = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        conn = sqlite3.connect(f"file:{escaped}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"无法打开：{exc}"]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [
            f"数据库内容已损坏（SQLite 报告：{str(r[0]).replace('*** in database main ***', '').strip()}）"
            for r in rows if r[0] != "ok"
        ]
        problems += [
            f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录"
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()
        ]
        return problems
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc).lower():  # a register whose pages are damaged, not another kind of file
            return [f"数据库文件已损坏（{exc}）"]
        return [f"不是有效的数据库文件（{exc}）"]
    finally:
        conn.close()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
