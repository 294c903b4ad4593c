"""Editable lists: 物业 sub-types, the five-step names, mediators and property companies.

Nothing here is ever deleted once used: a sub-type, a step name, a mediator
or a company is deactivated, so old cases still show what they were filed
under while pickers offer only the active ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import ConflictError, NotFoundError, ValidationError
from wuye_desktop.models import (
    Assignment,
    Building,
    CompanyGrade,
    DisputeSubtype,
    Estate,
    MediationCase,
    Mediator,
    MediatorKind,
    PropertyCompany,
    StepTemplate,
)
from wuye_desktop.services import audit, settings, validation
from wuye_desktop.services.cases.registration import OPEN_STATUSES
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

NAME_LIMIT = 40


class ListKind(StrEnum):
    SUBTYPE = "subtype"
    STEP = "step"


# Both tables have the same columns (name, position, active); Any spares mypy a Protocol over ORM classes.
_MODELS: dict[ListKind, Any] = {
    ListKind.SUBTYPE: DisputeSubtype, ListKind.STEP: StepTemplate,
}
_NOUNS = {ListKind.SUBTYPE: "纠纷小类", ListKind.STEP: "步骤名称"}


@dataclass(frozen=True)
class ListItem:
    id: int
    name: str
    position: int
    active: bool


# -- sub-types and step names ---------------------------------------------------------


@requires(Permission.READ_CASES)
def items(ctx: Context, kind: ListKind) -> list[ListItem]:
    """Every entry, active or not, in the order pickers show them."""
    model = _MODELS[kind]
    with ctx.db.reading() as session:
        return [ListItem(r.id, r.name, r.position, r.active)
                for r in session.scalars(select(model).order_by(model.position, model.id))]


def _clean_name(session: Session, kind: ListKind, name: str, item_id: int | None = None) -> str:
    noun = _NOUNS[kind]
    clean = name.strip()
    if not clean:
        raise ValidationError.single("name", f"请填写{noun}")
    if len(clean) > NAME_LIMIT:
        raise ValidationError.single("name", f"{noun}请控制在{NAME_LIMIT}字以内")
    model = _MODELS[kind]
    clash = session.scalar(select(model.id).where(model.name == clean, model.id != (item_id or 0)))
    if clash is not None:
        raise ValidationError.single("name", f"已有名为“{clean}”的{noun}")
    return clean


def _item(session: Session, kind: ListKind, item_id: int) -> DisputeSubtype | StepTemplate:
    row: DisputeSubtype | StepTemplate | None = session.get(_MODELS[kind], item_id)
    if row is None:
        raise NotFoundError(f"找不到这条{_NOUNS[kind]}，可能已被其他人修改，请刷新")
    return row


@requires(Permission.SETTINGS)
def add_item(ctx: Context, kind: ListKind, name: str) -> int:
    model = _MODELS[kind]
    with ctx.db.writing() as session:
        clean = _clean_name(session, kind, name)
        last = session.scalar(select(func.max(model.position))) or 0
        row: DisputeSubtype | StepTemplate = model(name=clean, position=last + 1, active=True)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", kind.value, row.id, {"name": clean})
        return row.id


@requires(Permission.SETTINGS)
def rename_item(ctx: Context, kind: ListKind, item_id: int, name: str) -> None:
    """Old cases keep the name they were recorded with where they copied it (steps do)."""
    with ctx.db.writing() as session:
        row = _item(session, kind, item_id)
        clean = _clean_name(session, kind, name, item_id)
        old = row.name
        row.name = clean
        audit.record(session, ctx.actor, "rename", kind.value, row.id, {"old": old, "new": clean})


@requires(Permission.SETTINGS)
def move_item(ctx: Context, kind: ListKind, item_id: int, offset: int) -> None:
    """Move one place up (-1) or down (+1); the positions are renumbered 1..n."""
    model = _MODELS[kind]
    with ctx.db.writing() as session:
        rows = list(session.scalars(select(model).order_by(model.position, model.id)))
        index = next((i for i, r in enumerate(rows) if r.id == item_id), None)
        if index is None:
            raise NotFoundError(f"找不到这条{_NOUNS[kind]}，可能已被其他人修改，请刷新")
        target = max(0, min(len(rows) - 1, index + offset))
        if target == index:
            return
        rows.insert(target, rows.pop(index))
        for position, row in enumerate(rows, 1):
            if row.position != position:
                row.position = position
        audit.record(session, ctx.actor, "reorder", kind.value, item_id, {"to": target + 1})


@requires(Permission.SETTINGS)
def set_item_active(ctx: Context, kind: ListKind, item_id: int, active: bool) -> None:
    with ctx.db.writing() as session:
        row = _item(session, kind, item_id)
        if active is False:
            model = _MODELS[kind]
            others = session.scalar(select(func.count()).select_from(model)
                                    .where(model.active.is_(True), model.id != item_id)) or 0
            if not others:
                raise ValidationError.single("active", f"至少要保留一个启用的{_NOUNS[kind]}")
        row.active = active
        audit.record(session, ctx.actor, "activate" if active else "deactivate", kind.value, row.id,
                     {"name": row.name})


# -- mediators ----------------------------------------------------------------------------


@dataclass
class MediatorInput:
    name: str
    kind: MediatorKind = MediatorKind.PART_TIME
    gender: str = ""
    phone: str = ""
    title: str = ""
    specialties: str = ""
    home_estate_id: int | None = None
    home_building_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class MediatorView:
    id: int
    version: int
    name: str
    kind: MediatorKind
    gender: str
    phone: str
    title: str
    specialties: str
    home_estate_id: int | None
    home_estate: str
    home_building_id: int | None
    home_building: str
    active: bool
    notes: str
    open_cases: int


def _open_counts(session: Session) -> dict[int, int]:
    stmt = (select(Assignment.mediator_id, func.count(func.distinct(Assignment.case_id)))
            .join(MediationCase, MediationCase.id == Assignment.case_id)
            .where(Assignment.recused_at.is_(None), MediationCase.status.in_(OPEN_STATUSES))
            .group_by(Assignment.mediator_id))
    return {mediator_id: count for mediator_id, count in session.execute(stmt)}


@requires(Permission.READ_CASES)
def open_case_counts(ctx: Context) -> dict[int, int]:
    """Open cases per mediator (not recused), for assignment and the busy warning."""
    with ctx.db.reading() as session:
        return _open_counts(session)


@requires(Permission.READ_CASES)
def mediators(ctx: Context, include_inactive: bool = True) -> list[MediatorView]:
    with ctx.db.reading() as session:
        counts = _open_counts(session)
        stmt = (select(Mediator, Estate.name, Building.name)
                .outerjoin(Estate, Estate.id == Mediator.home_estate_id)
                .outerjoin(Building, Building.id == Mediator.home_building_id)
                .order_by(Mediator.active.desc(), Mediator.name, Mediator.id))
        if not include_inactive:
            stmt = stmt.where(Mediator.active.is_(True))
        return [
            MediatorView(m.id, m.version, m.name, m.kind, m.gender, m.phone, m.title, m.specialties,
                         m.home_estate_id, estate or "", m.home_building_id, building or "", m.active,
                         m.notes, counts.get(m.id, 0))
            for m, estate, building in session.execute(stmt)
        ]


def _clean_mediator(session: Session, data: MediatorInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {
        "name": data.name.strip(), "kind": data.kind, "gender": data.gender.strip(),
        "title": data.title.strip(), "specialties": data.specialties.strip(), "notes": data.notes.strip(),
        "home_estate_id": data.home_estate_id, "home_building_id": data.home_building_id, "phone": "",
    }
    if not values["name"]:
        errors["name"] = "请填写调解员姓名"
    if values["gender"] not in ("", "男", "女"):
        errors["gender"] = "性别请选“男”或“女”"
    if data.phone.strip():
        try:
            values["phone"] = validation.phone(data.phone, field="phone")
        except ValidationError as exc:
            errors.update(exc.errors)
    if data.home_building_id is not None:
        building = session.get(Building, data.home_building_id)
        if building is None:
            errors["home_building_id"] = "所选楼栋不存在，请重新选择"
        elif data.home_estate_id is not None and building.estate_id != data.home_estate_id:
            errors["home_building_id"] = "所选楼栋不属于所选小区"
        else:
            values["home_estate_id"] = building.estate_id
    if errors:
        raise ValidationError(errors)
    return values


@requires(Permission.EDIT_REFERENCE)
def add_mediator(ctx: Context, data: MediatorInput) -> int:
    with ctx.db.writing() as session:
        row = Mediator(**_clean_mediator(session, data), active=True)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "mediator", row.id, {"name": row.name})
        return row.id


@requires(Permission.EDIT_REFERENCE)
def update_mediator(ctx: Context, mediator_id: int, data: MediatorInput, expected_version: int) -> None:
    with ctx.db.writing() as session:
        row = session.get(Mediator, mediator_id)
        if row is None:
            raise NotFoundError("找不到这位调解员")
        if row.version != expected_version:
            raise ConflictError(f"调解员“{row.name}”的资料已被其他人修改，请重新载入后再保存")
        values = _clean_mediator(session, data)
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, values[key])
        audit.record(session, ctx.actor, "update", "mediator", row.id, {"fields": changed})


@requires(Permission.EDIT_REFERENCE)
def set_mediator_active(ctx: Context, mediator_id: int, active: bool) -> None:
    """A deactivated mediator keeps their cases; they are only no longer offered for new ones."""
    with ctx.db.writing() as session:
        row = session.get(Mediator, mediator_id)
        if row is None:
            raise NotFoundError("找不到这位调解员")
        row.active = active
        audit.record(session, ctx.actor, "activate" if active else "deactivate", "mediator", row.id,
                     {"name": row.name})


# -- property companies ---------------------------------------------------------------


@dataclass
class CompanyInput:
    name: str
    credit_code: str = ""
    contact_person: str = ""
    phone: str = ""
    address: str = ""
    grade: CompanyGrade | None = None


@dataclass(frozen=True)
class CompanyView:
    id: int
    version: int
    name: str
    credit_code: str
    contact_person: str
    phone: str
    address: str
    grade: CompanyGrade | None
    active: bool
    estates: int
    open_cases: int


def _inactive(session: Session) -> set[int]:
    return {int(v) for v in settings.read(session, settings.INACTIVE_COMPANIES)}


@requires(Permission.READ_CASES)
def companies(ctx: Context, include_inactive: bool = True) -> list[CompanyView]:
    with ctx.db.reading() as session:
        inactive = _inactive(session)
        estates = dict(session.execute(select(Estate.property_company_id, func.count())
                                       .group_by(Estate.property_company_id)).all())
        open_cases = dict(session.execute(
            select(MediationCase.property_company_id, func.count())
            .where(MediationCase.status.in_(OPEN_STATUSES)).group_by(MediationCase.property_company_id)).all())
        rows = [
            CompanyView(c.id, c.version, c.name, c.credit_code or "", c.contact_person, c.phone, c.address,
                        c.grade, c.id not in inactive, estates.get(c.id, 0), open_cases.get(c.id, 0))
            for c in session.scalars(select(PropertyCompany).order_by(PropertyCompany.name, PropertyCompany.id))
        ]
    rows.sort(key=lambda c: not c.active)
    return [c for c in rows if include_inactive or c.active]


def _clean_company(session: Session, data: CompanyInput, company_id: int | None) -> dict[str, object]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {
        "name": data.name.strip(), "contact_person": data.contact_person.strip(),
        "address": data.address.strip(), "grade": data.grade, "credit_code": None, "phone": "",
    }
    if not values["name"]:
        errors["name"] = "请填写物业企业名称"
    if data.credit_code.strip():
        try:
            code = validation.credit_code(data.credit_code, field="credit_code")
        except ValidationError as exc:
            errors.update(exc.errors)
        else:
            values["credit_code"] = code
            clash = session.scalar(select(PropertyCompany.id).where(
                PropertyCompany.credit_code == code, PropertyCompany.id != (company_id or 0)))
            if clash is not None:
                errors["credit_code"] = "已有使用该统一社会信用代码的物业企业"
    if data.phone.strip():
        try:
            values["phone"] = validation.phone(data.phone, field="phone")
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return values


@requires(Permission.EDIT_REFERENCE)
def add_company(ctx: Context, data: CompanyInput) -> int:
    with ctx.db.writing() as session:
        row = PropertyCompany(**_clean_company(session, data, None))
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "create", "property_company", row.id, {"name": row.name})
        return row.id


@requires(Permission.EDIT_REFERENCE)
def update_company(ctx: Context, company_id: int, data: CompanyInput, expected_version: int) -> None:
    with ctx.db.writing() as session:
        row = session.get(PropertyCompany, company_id)
        if row is None:
            raise NotFoundError("找不到这家物业企业")
        if row.version != expected_version:
            raise ConflictError(f"物业企业“{row.name}”的资料已被其他人修改，请重新载入后再保存")
        values = _clean_company(session, data, company_id)
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, values[key])
        audit.record(session, ctx.actor, "update", "property_company", row.id, {"fields": changed})


@requires(Permission.EDIT_REFERENCE)
def set_company_active(ctx: Context, company_id: int, active: bool) -> None:
    """Kept in a setting: the company table has no active column, and its cases must keep it."""
    with ctx.db.writing() as session:
        row = session.get(PropertyCompany, company_id)
        if row is None:
            raise NotFoundError("找不到这家物业企业")
        inactive = _inactive(session)
        inactive = inactive - {company_id} if active else inactive | {company_id}
        settings.write(session, ctx.actor, settings.INACTIVE_COMPANIES, sorted(inactive))
        audit.record(session, ctx.actor, "activate" if active else "deactivate", "property_company", row.id,
                     {"name": row.name})

