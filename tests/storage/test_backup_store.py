"""Which automatic backups are kept, and the manifest that records every backup with its checksum."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from wuye_desktop.storage.backup_store import Entry, Kind, Manifest, copy_attachments, prune_pool
from wuye_desktop.storage.retention import Retention, to_keep

START = datetime(2026, 1, 1, 9, 0)


def _kept(created: list[datetime], rule: Retention) -> list[datetime]:
    return sorted((created[i] for i in to_keep(created, rule)), reverse=True)


# -- retention ---------------------------------------------------------------------------------


def test_a_backup_every_day_for_a_year_keeps_seven_days_four_weeks_twelve_months() -> None:
    created = [START + timedelta(days=d) for d in range(365)]  # 2026-01-01 … 2026-12-31
    kept = _kept(created, Retention(7, 4, 12))
    days = {t.date() for t in kept}
    daily = {date(2026, 12, d) for d in range(25, 32)}
    weekly = {date(2026, 12, 31), date(2026, 12, 27), date(2026, 12, 20), date(2026, 12, 13)}  # Sundays end weeks
    monthly = {date(2026, 12, 31), date(2026, 11, 30), date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31),
               date(2026, 7, 31), date(2026, 6, 30), date(2026, 5, 31), date(2026, 4, 30), date(2026, 3, 31),
               date(2026, 2, 28), date(2026, 1, 31)}
    assert days == daily | weekly | monthly
    assert len(kept) == 20


def test_several_backups_a_day_keep_only_the_days_newest() -> None:
    created = [START + timedelta(days=d, hours=h) for d in range(3) for h in (0, 4, 8)]
    kept = _kept(created, Retention(7, 0, 0))
    assert kept == [START + timedelta(days=d, hours=8) for d in (2, 1, 0)]


def test_a_pc_switched_off_for_months_keeps_its_last_seven_backups() -> None:
    """Counted over days that have a backup: a long holiday does not wipe out the daily ones."""
    created = [START + timedelta(days=7 * w) for w in range(10)] + [START + timedelta(days=200)]
    kept = _kept(created, Retention(7, 0, 0))
    assert kept == sorted(created, reverse=True)[:7]


def test_the_newest_backup_is_always_kept() -> None:
    created = [START, START + timedelta(days=1)]
    assert _kept(created, Retention(1, 0, 0)) == [START + timedelta(days=1)]
    assert to_keep([], Retention()) == set()


# -- the manifest ------------------------------------------------------------------------------


def _entry(folder: Path, name: str, created: datetime, kind: Kind = Kind.AUTO) -> Entry:
    path = folder / name
    path.write_bytes(b"x")
    return Entry(path, kind, created, 1, "ab" * 32, True, "0002", 3, 7, 0)


def test_manifest_round_trip_newest_first_with_relative_and_outside_paths(tmp_path: Path) -> None:
    folder, usb = tmp_path / "backups", tmp_path / "U盘"
    folder.mkdir()
    usb.mkdir()
    manifest = Manifest(folder)
    older = _entry(folder, "自动备份-1.db", START)
    outside = _entry(usb, "台账备份-1.db", START + timedelta(hours=1), Kind.MANUAL)
    manifest.add(older)
    manifest.add(outside)
    assert manifest.entries() == [outside, older]
    text = manifest.path.read_text(encoding="utf-8")
    assert '"file": "自动备份-1.db"' in text, "files in the backups folder are recorded by name (folder may move)"
    assert str(usb / "台账备份-1.db") in text
    assert manifest.find(usb / "台账备份-1.db") == outside

    # A file of the backups folder that was deleted drops out at the next write; the USB stick's stays.
    older.path.unlink()
    (usb / "台账备份-1.db").unlink()
    newer = _entry(folder, "自动备份-2.db", START + timedelta(days=1))
    manifest.add(newer)
    assert manifest.entries() == [newer, outside]
    manifest.remove([outside.path])
    assert manifest.entries() == [newer]


def test_a_backup_still_being_published_is_not_dropped_by_another_backup(tmp_path: Path) -> None:
    """The automatic start backup and a manual one can run at once: each records itself, then publishes."""
    manifest = Manifest(tmp_path)
    publishing = _entry(tmp_path, "自动备份-1.db", START)
    publishing.path.rename(tmp_path / "自动备份-1.db.partial")  # recorded, not yet given its name
    manifest.add(publishing)
    manual = _entry(tmp_path, "台账备份-1.db", START + timedelta(seconds=1), Kind.MANUAL)
    manifest.add(manual)
    assert manifest.entries() == [manual, publishing]
    (tmp_path / "自动备份-1.db.partial").unlink()  # a backup that was never finished does drop out
    manifest.add(_entry(tmp_path, "台账备份-2.db", START + timedelta(seconds=2), Kind.MANUAL))
    assert publishing not in manifest.entries()


def test_an_unreadable_manifest_reads_as_empty_and_is_rewritten(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.path.write_text('{"format": 1, "backups": [{"file": ', encoding="utf-8")  # cut off by a power cut
    assert manifest.entries() == []
    entry = _entry(tmp_path, "a.db", START)
    manifest.add(entry)
    assert manifest.entries() == [entry]


ADD_MANY = """
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from wuye_desktop.storage.backup_store import Entry, Kind, Manifest
folder, tag = Path(sys.argv[1]), sys.argv[2]
manifest = Manifest(folder)
for i in range(40):
    path = folder / f"{tag}-{i}.db"
    path.write_bytes(b"x")
    manifest.add(Entry(path, Kind.AUTO, datetime(2026, 1, 1) + timedelta(minutes=i), 1, "00", True, "", 0, 0, 0))
"""


def test_two_programs_recording_backups_at_once_lose_no_entry(tmp_path: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", ADD_MANY, str(tmp_path), tag]) for tag in ("甲", "乙")]
    assert [p.wait(60) for p in procs] == [0, 0]
    names = {e.path.name for e in Manifest(tmp_path).entries()}
    assert names == {f"{tag}-{i}.db" for tag in ("甲", "乙") for i in range(40)}


# -- the attachments pool -----------------------------------------------------------------------


def test_attachments_are_copied_once_and_pruned_when_nothing_needs_them(tmp_path: Path) -> None:
    live, pool = tmp_path / "attachments", tmp_path / "pool"
    sha_a, sha_b = "a" * 64, "b" * 64
    for sha, body in ((sha_a, b"scan A"), (sha_b, b"scan B")):
        (live / sha[:2]).mkdir(parents=True)
        (live / sha[:2] / sha).write_bytes(body)
    (live / "aa" / ".adding-123").write_bytes(b"half a scan")  # being added right now
    assert copy_attachments(live, pool) == 2
    assert (pool / "aa" / sha_a).read_bytes() == b"scan A"
    assert not (pool / "aa" / ".adding-123").exists()
    stamp = (pool / "aa" / sha_a).stat().st_mtime_ns
    assert copy_attachments(live, pool) == 2
    assert (pool / "aa" / sha_a).stat().st_mtime_ns == stamp, "a file the pool has is not copied again"

    assert prune_pool(pool, {Path("aa") / sha_a}) == 1
    assert (pool / "aa" / sha_a).exists() and not (pool / "bb" / sha_b).exists()
