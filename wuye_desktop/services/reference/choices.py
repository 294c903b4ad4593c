"""The room's reference lists: committee details, communities, estates, buildings, companies, mediators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import (
    Building,
    Committee,
    Community,
    CompanyGrade,
    DisputeSubtype,
    Estate,
    Mediator,
    MediatorKind,
    PropertyCompany,
    StepTemplate,
)
from wuye_desktop.services import audit, server, validation
from wuye_desktop.services.cases.registration import default_committee
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires


@dataclass(frozen=True)
class Choice:
    """An (id, name) pair for pickers."""

    id: int
    name: str


@dataclass(frozen=True)
class CommitteeInfo:
    id: int
    name: str
    short_name: str
    seal_text: str
    address: str
    phone: str


@requires(Permission.READ_CASES)
def committee(ctx: Context) -> CommitteeInfo:
    with ctx.db.reading() as session:
        c = default_committee(session)
        return CommitteeInfo(c.id, c.name, c.short_name, c.seal_text, c.address, c.phone)


@requires(Permission.SETTINGS)
def update_committee(ctx: Context, *, name: str, short_name: str, seal_text: str = "",
                     address: str = "", phone: str = "") -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写调委会名称"
    if not short_name.strip() or len(short_name.strip()) > 20:
        errors["short_name"] = "请填写编号中使用的简称（20字以内），例如“幸福里”"
    clean_phone = ""
    if phone.strip():
        try:
            clean_phone = validation.phone(phone)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with ctx.db.writing() as session:
        c = default_committee(session)
        old = {"name": c.name, "short_name": c.short_name}
        c.name, c.short_name = name.strip(), short_name.strip()
        c.seal_text = seal_text.strip() or f"{c.name}（印章）"
        c.address, c.phone = address.strip(), clean_phone
        audit.record(session, ctx.actor, "settings", "committee", c.id,
                     {"old": old, "new": {"name": c.name, "short_name": c.short_name}})


@requires(Permission.EDIT_REFERENCE)
def add_community(ctx: Context, name: str, street: str = "") -> int:
    if not name.strip():
        raise ValidationError.single("name", "请填写社区名称")
    with ctx.db.writing() as session:
        row = Community(name=name.strip(), street=street.strip())
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "community", row.id, {"name": row.name})
        return row.id


@requires(Permission.EDIT_REFERENCE)
def add_company(ctx: Context, name: str, credit_code: str = "", contact_person: str = "",
                phone: str = "", address: str = "", grade: CompanyGrade | None = None) -> int:
    errors: dict[str, str] = {}
    code = None
    clean_phone = ""
    if not name.strip():
        errors["name"] = "请填写物业企业名称"
    if credit_code.strip():
        try:
            code = validation.credit_code(credit_code)
        except ValidationError as exc:
            errors.update(exc.errors)
    if phone.strip():
        try:
            clean_phone = validation.phone(phone)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with ctx.db.writing() as session:
        if code and session.scalar(select(PropertyCompany.id).where(PropertyCompany.credit_code == code)):
            raise ValidationError.single("credit_code", "已有使用该统一社会信用代码的物业企业")
        row = PropertyCompany(name=name.strip(), credit_code=code, contact_person=contact_person.strip(),
                              phone=clean_phone, address=address.strip(), grade=grade)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "property_company", row.id, {"name": row.name})
        return row.id


@requires(Permission.EDIT_REFERENCE)
def add_estate(ctx: Context, name: str, community_id: int, property_company_id: int | None = None,
               address: str = "", buildings: list[str] | None = None) -> int:
    if not name.strip():
        raise ValidationError.single("name", "请填写小区名称")
    with ctx.db.writing() as session:
        if session.get(Community, community_id) is None:
            raise ValidationError.single("community_id", "所选社区不存在")
        row = Estate(name=name.strip(), community_id=community_id,
                     property_company_id=property_company_id, address=address.strip())
        row.buildings = [Building(name=b.strip(), sort_key=i) for i, b in enumerate(buildings or [], 1)
                         if b.strip()]
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "estate", row.id, {"name": row.name})
        return row.id


@requires(Permission.EDIT_REFERENCE)
def add_mediator(ctx: Context, name: str, kind: MediatorKind, phone: str = "", specialties: str = "",
                 title: str = "", home_estate_id: int | None = None,
                 home_building_id: int | None = None) -> int:
    errors: dict[str, str] = {}
    clean_phone = ""
    if not name.strip():
        errors["name"] = "请填写调解员姓名"
    if phone.strip():
        try:
            clean_phone = validation.phone(phone)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    with ctx.db.writing() as session:
        row = Mediator(name=name.strip(), kind=kind, phone=clean_phone, specialties=specialties.strip(),
                       title=title.strip(), home_estate_id=home_estate_id, home_building_id=home_building_id)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "mediator", row.id, {"name": row.name})
        return row.id


def _choices(ctx: Context, model, *where) -> list[Choice]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        # Names in pinyin order where the server can (PostgreSQL with ICU), else as stored.
        order = model.position if hasattr(model, "position") else server.name_order(session, model.name)
        return [Choice(i, n) for i, n in session.execute(
            select(model.id, model.name).where(*where).order_by(order, model.id))]


def estates(ctx: Context) -> list[Choice]:
    return _choices(ctx, Estate, Estate.active.is_(True))


def buildings(ctx: Context, estate_id: int) -> list[Choice]:
    with ctx.db.reading() as session:
        return [Choice(i, n) for i, n in session.execute(
            select(Building.id, Building.name).where(Building.estate_id == estate_id)
            .order_by(Building.sort_key, Building.id))]


def companies(ctx: Context) -> list[Choice]:
    return _choices(ctx, PropertyCompany)


def communities(ctx: Context) -> list[Choice]:
    return _choices(ctx, Community)


def mediators(ctx: Context, active_only: bool = True) -> list[Choice]:
    return _choices(ctx, Mediator, *([Mediator.active.is_(True)] if active_only else []))


def subtypes(ctx: Context) -> list[Choice]:
    return _choices(ctx, DisputeSubtype, DisputeSubtype.active.is_(True))


def step_names(ctx: Context) -> list[Choice]:
    return _choices(ctx, StepTemplate, StepTemplate.active.is_(True))


def committees(ctx: Context) -> list[Choice]:
    return _choices(ctx, Committee)
