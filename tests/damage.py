"""Damaging a register on disk the way a failing disk or a cut power line would, for the safety tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_register(live: Path, *, leaf: int = 3, pattern: bytes = b"\x13\x37") -> None:
    """Overwrite one leaf page of the cases table; SQLite's quick check then reports it."""
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    victim = conn.execute("SELECT pageno FROM dbstat WHERE name = 'mediation_case' AND pagetype = 'leaf' "
                          "ORDER BY pageno LIMIT 1 OFFSET ?", (leaf,)).fetchone()[0]
    conn.close()
    with live.open("r+b") as fh:
        fh.seek((victim - 1) * page_size)
        fh.write(pattern * (page_size // len(pattern)))
