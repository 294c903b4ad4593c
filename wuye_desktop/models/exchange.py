"""What a county's register keeps about its rooms' exchange files: each room's signing key, and who brought a row."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import Base, VersionedRow


class RoomKey(VersionedRow):
    """A room's public signing key, pinned at the county when its first file was imported and confirmed.

    Later files declaring the same committee must be signed by this key. Who pinned it, and when, is in
    the audit trail.
    """

    __tablename__ = "exchange_room_key"

    committee_uid: Mapped[str] = mapped_column(String(32), unique=True)
    committee_name: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, 32 bytes as hex
    fingerprint: Mapped[str] = mapped_column(String(40))  # as the room reads it out: groups of hex


class RecordOrigin(Base):
    """Which room's file brought a row of a shared list (places, companies, sub-types, mediators) into the county.

    Only that room's later files may change the row; a row without an origin is the county's own.
    """

    __tablename__ = "exchange_record_origin"
    __table_args__ = (UniqueConstraint("table_name", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    uid: Mapped[str] = mapped_column(String(32))
    committee_uid: Mapped[str] = mapped_column(String(32), index=True)
