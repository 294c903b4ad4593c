"""Writing and verifying the hash-chained audit trail.

An entry is written in the same transaction as the change it records, so
there is never a change without its entry or an entry for a change that
was rolled back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wuye_desktop.models import AuditEvent
from wuye_desktop.storage.engine import Database

GENESIS = "0" * 64


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
    """Append one entry; ``detail`` must already be masked where it holds personal data."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain; SQLite's BEGIN IMMEDIATE already does.
        session.execute(text("SELECT pg_advisory_xact_lock(7460)"))
    prev = session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1))
    when = (at or datetime.now()).replace(tzinfo=None)
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    prev_hash = prev or GENESIS
    event = AuditEvent(
        at=when, actor=actor, action=action, object_type=object_type,
        object_id=str(object_id), detail=detail_text, prev_hash=prev_hash,
        entry_hash=entry_hash(prev_hash, when, actor, action, object_type, str(object_id), detail_text),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(db: Database) -> ChainReport:
    """Walk the chain from the first entry; name every entry that was edited, removed or inserted."""
    problems: list[str] = []
    expected_prev = GENESIS
    count = 0
    with db.reading() as session:
        rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        for event in rows:
            count += 1
            if event.prev_hash != expected_prev:
                problems.append(f"第 {event.id} 条之前的记录被删除或改动过（链条断开）")
            recomputed = entry_hash(event.prev_hash, event.at, event.actor, event.action,
                                    event.object_type, event.object_id, event.detail)
            if recomputed != event.entry_hash:
                problems.append(
                    f"第 {event.id} 条（{event.at:%Y-%m-%d %H:%M}，{event.actor}，{event.action}）内容被改动过")
            expected_prev = event.entry_hash
            session.expunge(event)
    return ChainReport(count, problems)
