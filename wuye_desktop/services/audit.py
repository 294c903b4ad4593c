"""Writing and verifying the hash-chained audit trail.

An entry is written in the same transaction as the change it records, so
there is never a change without its entry or an entry for a change that
was rolled back.

Each entry's hash covers the previous entry's hash, so an edited entry
fails its own hash and a deleted or inserted one breaks the link of the
entry after it. Removing entries from the end leaves an intact but shorter
chain; the hash of the last entry written is therefore also kept as the
chain's head (a row of the ``setting`` table, written in the same
transaction), and ``verify`` checks the chain ends there.

This makes tampering evident, not impossible: someone who can write to the
database and knows the scheme can rebuild the whole chain. Backups kept
elsewhere are the remedy for that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, select, text, type_coerce
from sqlalchemy.orm import Session

from wuye_desktop.models import AuditEvent, Setting
from wuye_desktop.services.validation import mask_address, mask_id, mask_phone
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.redact import redact

GENESIS = "0" * 64
HEAD_KEY = "audit.head"  # not a user setting: settings.validate refuses it
ACTOR_LENGTH = 40

# Personal fields of a change, masked before they reach the trail.
PERSONAL_FIELDS: dict[str, Callable[[str | None], str]] = {
    "phone": mask_phone, "contact_phone": mask_phone, "caller_phone": mask_phone,
    "id_number": mask_id, "address": mask_address,
}


def entry_hash(prev_hash: str, at: datetime, actor: str, action: str,
               object_type: str, object_id: str, detail: str) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, object_type, object_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, object_type: str = "",
           object_id: object = "", detail: dict[str, Any] | None = None,
           at: datetime | None = None) -> AuditEvent:
    """Append one entry; ``detail`` must already be masked where it holds personal data.

    As a safety net any ID or mobile number left in ``detail`` is masked here too.
    """
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain; SQLite's BEGIN IMMEDIATE already does.
        session.execute(text("SELECT pg_advisory_xact_lock(7460)"))
    prev = session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1))
    when = (at or datetime.now()).replace(tzinfo=None)
    detail_text = redact(json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str))
    who = actor[:ACTOR_LENGTH]
    prev_hash = prev or GENESIS
    event = AuditEvent(
        at=when, actor=who, action=action, object_type=object_type,
        object_id=str(object_id), detail=detail_text, prev_hash=prev_hash,
        entry_hash=entry_hash(prev_hash, when, who, action, object_type, str(object_id), detail_text),
    )
    session.add(event)
    session.flush()
    _move_head(session, event)
    return event


def _move_head(session: Session, event: AuditEvent) -> None:
    head = {"id": event.id, "hash": event.entry_hash}
    row = session.scalar(select(Setting).where(Setting.key == HEAD_KEY))
    if row is None:
        session.add(Setting(key=HEAD_KEY, value=head))
    else:
        row.value = head
    session.flush()


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """``{field: [old, new]}`` for the fields that changed, personal values masked (for ``detail``)."""
    changed: dict[str, list[object]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        mask = PERSONAL_FIELDS.get(name)
        if mask is not None:
            old, new = mask(str(old or "")), mask(str(new or ""))
        changed[name] = [old, new]
    return changed


# -- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    count: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    breaks: list[tuple[int, int | None, str]] = field(default_factory=list)  # (id, id before it, its prev_hash)


def verify(db: Database) -> ChainReport:
    """Walk the chain from the first entry; name every entry that was edited, removed or inserted."""
    walk = _Walk()
    with db.reading() as session:
        for row in session.execute(_chain_select(session)).yield_per(2000):
            _check_entry(walk, row)
        problems = walk.problems + [_explain_break(session, b) for b in walk.breaks]
        head_problems, notes = _check_head(session, walk)
    problems.sort(key=_entry_number)
    return ChainReport(walk.count, problems + head_problems, notes)


def _chain_select(session: Session) -> Any:
    at = AuditEvent.at
    if session.get_bind().dialect.name == "sqlite":
        # Read the stored text: an edited timestamp must be reported, not crash the check.
        at = type_coerce(AuditEvent.at, String())  # type: ignore[assignment]
    return select(AuditEvent.id, at, AuditEvent.actor, AuditEvent.action, AuditEvent.object_type,
                  AuditEvent.object_id, AuditEvent.detail, AuditEvent.prev_hash,
                  AuditEvent.entry_hash).order_by(AuditEvent.id)


def _check_entry(walk: _Walk, row: Any) -> None:
    event_id, raw_at, actor, action, object_type, object_id, detail, prev_hash, stored = row
    walk.count += 1
    if prev_hash != walk.last_hash:
        walk.breaks.append((event_id, walk.last_id, prev_hash))
    at = _as_datetime(raw_at)
    if at is None:
        walk.problems.append(f"第 {event_id} 条的时间被改动过（“{raw_at}”不是有效时间）")
    elif entry_hash(prev_hash, at, actor, action, object_type, object_id, detail) != stored:
        walk.problems.append(f"第 {event_id} 条（{at:%Y-%m-%d %H:%M}，{actor}，{action}）内容被改动过")
    walk.last_id, walk.last_hash = event_id, stored


def _as_datetime(raw: object) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def _explain_break(session: Session, found: tuple[int, int | None, str]) -> str:
    """Tell an insertion (the entry links to an earlier one, skipping some) from a deletion."""
    event_id, before_id, prev_hash = found
    linked = session.scalar(select(AuditEvent.id).where(AuditEvent.entry_hash == prev_hash))
    if linked is not None and before_id is not None and linked < before_id:
        first = session.scalar(select(AuditEvent.id).where(AuditEvent.id > linked).order_by(AuditEvent.id).limit(1))
        span = f"第 {first} 条" if first == before_id else f"第 {first} 至 {before_id} 条"
        return f"{span}不在原来的链条中（是后来插入的），位于第 {event_id} 条之前"
    return f"第 {event_id} 条之前的记录被删除或改动过（链条断开）"


def _check_head(session: Session, walk: _Walk) -> tuple[list[str], list[str]]:
    head = session.scalar(select(Setting.value).where(Setting.key == HEAD_KEY))
    if not isinstance(head, dict) or "hash" not in head:
        if walk.count:
            return [], ["尚无链尾标记（记录由旧版本程序写入）；下次写入后开始核对末尾是否被删除。"]
        return [], []
    if head["hash"] == walk.last_hash:
        return [], []
    marked = session.scalar(select(AuditEvent.id).where(AuditEvent.entry_hash == head["hash"]))
    if marked is not None and walk.last_id is not None and marked < walk.last_id:
        extra = session.scalar(select(AuditEvent.id).where(AuditEvent.id > marked).order_by(AuditEvent.id).limit(1))
        return [f"第 {extra} 至 {walk.last_id} 条不是本程序写入的（链尾之后被追加）"], []
    return [f"末尾的记录被删除：最后一条应为第 {head.get('id')} 条，现在只到第 {walk.last_id or 0} 条"], []


def _entry_number(problem: str) -> int:
    digits = problem.split("第 ", 1)[-1].split(" ", 1)[0]
    return int(digits) if digits.isdigit() else 0
