"""Where disputes happen and who runs the room: committee, community, estate, building, company."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import CompanyGrade
from wuye_desktop.models.types import code_enum


class Committee(VersionedRow):
    """人民调解委员会: owns the room, numbers its cases, and its seal goes on agreements."""

    __tablename__ = "committee"

    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(20))  # the 某某 in （2026）某某调字第12号
    seal_text: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class Community(VersionedRow):
    """社区: the administrative community whose party-service centre hosts the room."""

    __tablename__ = "community"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    street: Mapped[str] = mapped_column(String(100), default="")  # 街道/乡镇

    estates: Mapped[list[Estate]] = relationship(back_populates="community")


class PropertyCompany(VersionedRow):
    """物业服务企业, identified by its 统一社会信用代码 and graded by colour (四色管理)."""

    __tablename__ = "property_company"

    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[CompanyGrade | None] = mapped_column(code_enum(CompanyGrade))


class Estate(VersionedRow):
    """小区: a residential estate, usually served by one property company."""

    __tablename__ = "estate"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    property_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("property_company.id"), index=True
    )
    address: Mapped[str] = mapped_column(String(200), default="")
    households: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    community: Mapped[Community] = relationship(back_populates="estates")
    property_company: Mapped[PropertyCompany | None] = relationship()
    buildings: Mapped[list[Building]] = relationship(
        back_populates="estate", order_by="Building.sort_key"
    )


class Building(VersionedRow):
    """楼栋 of an estate; 单元 and 房号 are kept as text on the party's address."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("estate_id", "name"),)

    estate_id: Mapped[int] = mapped_column(ForeignKey("estate.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))  # e.g. 3号楼, 12栋
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    estate: Mapped[Estate] = relationship(back_populates="buildings")
