"""当事人: people and organisations that appear in cases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import PartyKind
from wuye_desktop.models.types import code_enum


class Party(VersionedRow):
    """A person, a company or an owners' committee.

    One row serves every case the party appears in, so a repeat complainant
    is recognised; what they were at signing time is frozen on ``CaseParty``.
    Person fields and organisation fields share the row: ``name`` is the
    person's name or the organisation's 名称, ``id_number`` the 身份证号 or the
    统一社会信用代码.
    """

    __tablename__ = "party"

    kind: Mapped[PartyKind] = mapped_column(code_enum(PartyKind), default=PartyKind.PERSON)
    name: Mapped[str] = mapped_column(String(120), index=True)
    gender: Mapped[str] = mapped_column(String(4), default="")  # 男 / 女
    ethnicity: Mapped[str] = mapped_column(String(20), default="")  # 民族
    birth_date: Mapped[date | None] = mapped_column(Date)
    age: Mapped[int | None] = mapped_column(Integer)  # when only an age is known
    occupation: Mapped[str] = mapped_column(String(60), default="")  # 职业或职务
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")  # 单位或住址
    # Organisations: 法定代表人/负责人 and their title.
    representative: Mapped[str] = mapped_column(String(40), default="")
    representative_title: Mapped[str] = mapped_column(String(40), default="")
    # Where a resident lives, for the same-building warnings.
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"), index=True)
    room: Mapped[str] = mapped_column(String(40), default="")  # 单元/房号
    notes: Mapped[str] = mapped_column(Text, default="")
