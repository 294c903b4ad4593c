"""Business settings kept in the database, and the counters behind gap-free numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import Base, VersionedRow


class Setting(VersionedRow):
    """One business setting (numbering format, deadlines, ...); defaults live in code."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


class DisputeSubtype(VersionedRow):
    """物业 sub-types (物业费, 房屋漏水, ...): an editable list, never deleted once used."""

    __tablename__ = "dispute_subtype"

    name: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NumberSequence(Base):
    """The last number given, per committee, per kind (case, agreement), per year.

    Incremented inside the transaction that uses the number, so a rolled-back
    registration gives its number back and numbers stay gap-free.
    """

    __tablename__ = "number_sequence"
    __table_args__ = (UniqueConstraint("committee_id", "kind", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"))
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
