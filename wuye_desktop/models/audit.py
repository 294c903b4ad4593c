"""The audit trail: append-only, each entry chained to the one before by a keyed code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import Base


class AuditEvent(Base):
    """Who did what to which record, and when.

    ``entry_hash`` = HMAC-SHA256 under the register's audit key over this
    row's number, ``prev_hash`` and its fields (plain SHA-256 in registers
    written by earlier versions; ``services/audit.py``), so editing or
    deleting any row breaks the chain from there on.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(30), index=True)
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON text, personal data masked
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
