"""Estates and their buildings as the companies page shows and extends them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from wuye_desktop.errors import NotFoundError, ValidationError
from wuye_desktop.models import Building, Community, Estate
from wuye_desktop.services import audit
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.reference import choices as reference


@dataclass(frozen=True)
class EstateView:
    id: int
    name: str
    community: str
    property_company_id: int | None
    buildings: list[str]


@requires(Permission.READ_CASES)
def estates(ctx: Context, property_company_id: int | None = None) -> list[EstateView]:
    """Estates (of one company, when given) with the names of their buildings."""
    with ctx.db.reading() as session:
        stmt = (select(Estate, Community.name).join(Community, Community.id == Estate.community_id)
                .where(Estate.active.is_(True)).order_by(Estate.name, Estate.id))
        if property_company_id is not None:
            stmt = stmt.where(Estate.property_company_id == property_company_id)
        found = session.execute(stmt).all()
        names: dict[int, list[str]] = {}
        ids = [estate.id for estate, _c in found]
        if ids:
            for estate_id, name in session.execute(
                    select(Building.estate_id, Building.name).where(Building.estate_id.in_(ids))
                    .order_by(Building.estate_id, Building.sort_key, Building.id)):
                names.setdefault(estate_id, []).append(name)
        return [EstateView(e.id, e.name, community, e.property_company_id, names.get(e.id, []))
                for e, community in found]


def split_names(text: str) -> list[str]:
    """Building names as typed: separated by commas, 、 or spaces."""
    for separator in ("，", "、", ",", "；", ";"):
        text = text.replace(separator, " ")
    return list(dict.fromkeys(part for part in text.split() if part))


@requires(Permission.EDIT_REFERENCE)
def add_estate(ctx: Context, name: str, community: str, property_company_id: int | None,
               buildings: str = "") -> int:
    """A new estate in a community (created when new), with its buildings."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写小区名称"
    if not community.strip():
        errors["community"] = "请填写小区所属的社区"
    if errors:
        raise ValidationError(errors)
    existing = {c.name: c.id for c in reference.communities(ctx)}
    community_id = existing.get(community.strip()) or reference.add_community(ctx, community.strip())
    with ctx.db.reading() as session:
        clash = session.scalar(select(Estate.id).where(Estate.community_id == community_id,
                                                       Estate.name == name.strip()))
    if clash is not None:
        raise ValidationError.single("name", f"“{community.strip()}”中已有名为“{name.strip()}”的小区")
    return reference.add_estate(ctx, name, community_id, property_company_id, buildings=split_names(buildings))


@requires(Permission.EDIT_REFERENCE)
def add_buildings(ctx: Context, estate_id: int, names: str) -> list[str]:
    """Add buildings to an estate; names it already has are skipped. Returns those added."""
    wanted = split_names(names)
    if not wanted:
        raise ValidationError.single("buildings", "请填写楼栋名称，多个用逗号或空格分开，例如 5号楼 6号楼")
    with ctx.db.writing() as session:
        estate = session.get(Estate, estate_id)
        if estate is None:
            raise NotFoundError("找不到这个小区")
        have = set(session.scalars(select(Building.name).where(Building.estate_id == estate_id)))
        last = session.scalar(select(func.max(Building.sort_key)).where(Building.estate_id == estate_id)) or 0
        added = [n for n in wanted if n not in have]
        for offset, name in enumerate(added, 1):
            session.add(Building(estate_id=estate_id, name=name[:40], sort_key=last + offset))
        if added:
            audit.record(session, ctx.actor, "add_buildings", "estate", estate_id, {"buildings": added})
        return added


@requires(Permission.READ_CASES)
def estate_company(ctx: Context, estate_id: int | None) -> int | None:
    """The property company serving an estate, for the same-company warning before registering."""
    if estate_id is None:
        return None
    with ctx.db.reading() as session:
        return session.scalar(select(Estate.property_company_id).where(Estate.id == estate_id))
