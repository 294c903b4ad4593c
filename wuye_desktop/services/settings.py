"""Business settings: stored in the database, defaults here, every change audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wuye_desktop.models import Setting
from wuye_desktop.services import audit
from wuye_desktop.services.context import Context
from wuye_desktop.services.errors import ValidationError
from wuye_desktop.services.permissions import Permission, requires

CASE_NUMBER_FORMAT = "numbering.case_format"
AGREEMENT_NUMBER_FORMAT = "numbering.agreement_format"
MEDIATION_DAYS = "deadline.mediation_days"
JUDICIAL_DAYS = "deadline.judicial_days"

DEFAULTS: dict[str, Any] = {
    CASE_NUMBER_FORMAT: "（{year}）{short}调字第{seq}号",
    AGREEMENT_NUMBER_FORMAT: "（{year}）{short}调协字第{seq}号",
    MEDIATION_DAYS: 30,  # 2002 regulations: normally within one month of acceptance
    JUDICIAL_DAYS: 30,  # Art. 33: judicial confirmation within 30 days of effect
}

_LABELS = {
    CASE_NUMBER_FORMAT: "案件编号格式",
    AGREEMENT_NUMBER_FORMAT: "协议书编号格式",
    MEDIATION_DAYS: "调解期限（天）",
    JUDICIAL_DAYS: "司法确认申请期限（天）",
}


def read(session: Session, key: str) -> Any:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return DEFAULTS[key] if value is None else value


def get(ctx: Context, key: str) -> Any:
    with ctx.db.reading() as session:
        return read(session, key)


def validate(key: str, value: Any) -> Any:
    if key not in DEFAULTS:
        raise ValidationError.single(key, f"没有名为“{key}”的设置项")
    if key in (CASE_NUMBER_FORMAT, AGREEMENT_NUMBER_FORMAT):
        return validate_number_format(key, value)
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError.single(key, f"{_LABELS[key]}应为天数，例如 30") from None
    if not 1 <= days <= 366:
        raise ValidationError.single(key, f"{_LABELS[key]}应在 1 到 366 天之间")
    return days


def validate_number_format(key: str, value: Any) -> str:
    fmt = str(value).strip()
    missing_seq = ValidationError.single(
        key, f"{_LABELS[key]}必须包含序号 {{seq}}，例如 （{{year}}）{{short}}调字第{{seq}}号")
    if "{seq" not in fmt:
        raise missing_seq
    try:
        twelfth, thirteenth = (fmt.format(year=2026, short="某某", seq=n) for n in (12, 13))
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError.single(
            key, f"{_LABELS[key]}只能使用 {{year}}、{{short}}、{{seq}}（可写作 {{seq:03d}}）：{exc}"
        ) from None
    if twelfth == thirteenth:  # e.g. "{{seq}}" is the literal text: every number would be the same
        raise missing_seq
    if fmt.format(year=2027, short="某某", seq=12) == twelfth:
        # Sequences restart each year: without the year, next January repeats this year's numbers.
        raise ValidationError.single(key, f"{_LABELS[key]}必须包含年份 {{year}}，否则每年的序号会重复")
    return fmt


@requires(Permission.SETTINGS)
def put(ctx: Context, key: str, value: Any) -> None:
    clean = validate(key, value)
    with ctx.db.writing() as session:
        row = session.scalar(select(Setting).where(Setting.key == key))
        old = DEFAULTS[key] if row is None else row.value
        if row is None:
            session.add(Setting(key=key, value=clean))
        else:
            row.value = clean
        audit.record(session, ctx.actor, "settings", "setting", key, {"old": old, "new": clean})
