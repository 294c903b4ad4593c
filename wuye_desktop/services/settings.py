"""Business settings: stored in the database, defaults here, every change audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import Setting
from wuye_desktop.services import audit, validation
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

CASE_NUMBER_FORMAT = "numbering.case_format"
AGREEMENT_NUMBER_FORMAT = "numbering.agreement_format"
MEDIATION_DAYS = "deadline.mediation_days"
JUDICIAL_DAYS = "deadline.judicial_days"
# Reminders (待办提醒) and the busy-mediator warning.
REMIND_DEADLINE_DAYS = "reminder.deadline_days"
REMIND_VISIT_DAYS = "reminder.visit_after_days"
REMIND_HOTLINE_DAYS = "reminder.hotline_days"
BUSY_MEDIATOR_CASES = "reminder.busy_mediator_cases"
# Property companies have no active column: the deactivated ones are listed here.
INACTIVE_COMPANIES = "lists.inactive_companies"
# Signing in: lock an account after this many failed passwords in a row, for this long; lock the window when idle.
LOGIN_MAX_FAILURES = "security.login_max_failures"
LOGIN_LOCK_MINUTES = "security.login_lock_minutes"
IDLE_LOCK_MINUTES = "security.idle_lock_minutes"
# Personal data in the roll-up file sent to the county: "mask" or "remove" (services/exchange/privacy.py).
EXCHANGE_PERSONAL = "exchange.personal"
# 四色管理 thresholds (services/statistics/grades.py), 12345 deadlines per request type (services/hotline/).
COMPANY_GRADE_RULES = "grade.company_rules"
HOTLINE_DUE_DAYS = "hotline.due_working_days"
# Automatic backups kept (services/safety/backups.py): the newest of each of the last N days, weeks, months.
BACKUP_KEEP_DAILY = "backup.keep_daily"
BACKUP_KEEP_WEEKLY = "backup.keep_weekly"
BACKUP_KEEP_MONTHLY = "backup.keep_monthly"
# Printed documents (services/casework/documents.py): the font file ("" = choose), and the 卷宗's 保管期限.
DOCUMENT_FONT = "documents.font_path"
DOCUMENT_RETENTION = "documents.retention"
# Dates of registration, acceptance, signing and visits: not before 1 January of this year, not after tomorrow.
EARLIEST_YEAR = "dates.earliest_year"
EARLIEST_YEAR_LOWEST = 1949
HOTLINE_OTHER_TYPE = "其他"  # the due-days row for a request type the table does not list
BACKUP_KEEP_LIMITS = {BACKUP_KEEP_DAILY: (1, 366), BACKUP_KEEP_WEEKLY: (0, 520), BACKUP_KEEP_MONTHLY: (0, 240)}

DEFAULTS: dict[str, Any] = {
    CASE_NUMBER_FORMAT: "（{year}）{short}调字第{seq}号",
    AGREEMENT_NUMBER_FORMAT: "（{year}）{short}调协字第{seq}号",
    MEDIATION_DAYS: 30,  # 2002 regulations: normally within one month of acceptance
    JUDICIAL_DAYS: 30,  # Art. 33: judicial confirmation within 30 days of effect
    REMIND_DEADLINE_DAYS: 7,  # warn this many days before the mediation deadline
    REMIND_VISIT_DAYS: 15,  # a return visit is due this long after signing
    REMIND_HOTLINE_DAYS: 2,  # warn this many days before a 12345 work order is due
    BUSY_MEDIATOR_CASES: 10,  # warn when assigning a mediator with this many open cases
    INACTIVE_COMPANIES: [],
    LOGIN_MAX_FAILURES: 5,
    LOGIN_LOCK_MINUTES: 15,
    IDLE_LOCK_MINUTES: 10,
    EXCHANGE_PERSONAL: "mask",
    COMPANY_GRADE_RULES: {"window_months": 12, "disputes": [30, 60, 100], "failed": [5, 10, 20]},
    # DOMAIN.md §7 (Guangdong): working days per 诉求类别; 其他 for any type not listed.
    HOTLINE_DUE_DAYS: {"咨询": 2, "求助": 10, "建议": 10, "投诉": 15, "举报": 15, "其他": 15},
    BACKUP_KEEP_DAILY: 7,
    BACKUP_KEEP_WEEKLY: 4,
    BACKUP_KEEP_MONTHLY: 12,
    DOCUMENT_FONT: "",
    DOCUMENT_RETENTION: "长期",
    EARLIEST_YEAR: 2000,
}

_LABELS = {
    CASE_NUMBER_FORMAT: "案件编号格式",
    AGREEMENT_NUMBER_FORMAT: "协议书编号格式",
    MEDIATION_DAYS: "调解期限（天）",
    JUDICIAL_DAYS: "司法确认申请期限（天）",
    REMIND_DEADLINE_DAYS: "调解期限到期前提醒（天）",
    REMIND_VISIT_DAYS: "签署后回访（天）",
    REMIND_HOTLINE_DAYS: "12345工单到期前提醒（天）",
    BUSY_MEDIATOR_CASES: "调解员在办案件提醒线（件）",
    INACTIVE_COMPANIES: "已停用的物业企业",
    LOGIN_MAX_FAILURES: "连续输错密码锁定账户（次）",
    LOGIN_LOCK_MINUTES: "账户锁定时长（分钟）",
    IDLE_LOCK_MINUTES: "无操作自动锁屏（分钟）",
    EXCHANGE_PERSONAL: "报送文件中的个人信息",
    COMPANY_GRADE_RULES: "物业企业四色评级规则",
    HOTLINE_DUE_DAYS: "12345工单办理时限（工作日）",
    BACKUP_KEEP_DAILY: "保留最近几天的自动备份（份）",
    BACKUP_KEEP_WEEKLY: "保留最近几周的自动备份（份）",
    BACKUP_KEEP_MONTHLY: "保留最近几个月的自动备份（份）",
    DOCUMENT_FONT: "文书字体",
    DOCUMENT_RETENTION: "卷宗保管期限",
    EARLIEST_YEAR: "日期最早可填的年份",
}
# key: (lowest, highest, unit) of the sign-in limits
_SECURITY_LIMITS = {
    LOGIN_MAX_FAILURES: (3, 20, "次"),
    LOGIN_LOCK_MINUTES: (1, 1440, "分钟"),
    IDLE_LOCK_MINUTES: (1, 240, "分钟"),
}


# Not a user setting (validate refuses it): the register's own identity, made when the register is, kept by
# every copy of it (backups, a move to the server). Its secrets outside the file are filed under it
# (storage/keys.py). It lives with the audit trail, the lowest floor that needs it (its key is filed under it).
REGISTER_UID = audit.REGISTER_UID
register_uid = audit.register_uid


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
    if key in _SECURITY_LIMITS:
        return _validate_limit(key, value)
    if key == DOCUMENT_FONT:
        from wuye_desktop.exports.fonts import validate_font_setting

        return validate_font_setting(key, value)
    if key == DOCUMENT_RETENTION:
        retention = str(value or "").strip()
        if not 1 <= len(retention) <= 10:
            raise ValidationError.single(key, f"{_LABELS[key]}请填写“永久”“长期”“短期”或年限（如“30年”）")
        return retention
    if key == EXCHANGE_PERSONAL:
        if value not in ("mask", "remove"):
            raise ValidationError.single(key, f"{_LABELS[key]}只能选“打码”（mask）或“删除”（remove）")
        return value
    if key == COMPANY_GRADE_RULES:
        return check_grade_rules(value)
    if key == HOTLINE_DUE_DAYS:
        return check_due_days(value)
    if key in (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY):
        return _check_keep(key, value)
    if key == INACTIVE_COMPANIES:
        return sorted({int(v) for v in value})
    if key == EARLIEST_YEAR:
        return _check_earliest_year(value)
    if key == BUSY_MEDIATOR_CASES:
        try:
            cases = int(value)
        except (TypeError, ValueError):
            raise ValidationError.single(key, f"{_LABELS[key]}应为件数，例如 10") from None
        if not 1 <= cases <= 1000:
            raise ValidationError.single(key, f"{_LABELS[key]}应在 1 到 1000 件之间")
        return cases
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError.single(key, f"{_LABELS[key]}应为天数，例如 30") from None
    if not 1 <= days <= 366:
        raise ValidationError.single(key, f"{_LABELS[key]}应在 1 到 366 天之间")
    return days


def _validate_limit(key: str, value: Any) -> int:
    low, high, unit = _SECURITY_LIMITS[key]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.single(key, f"{_LABELS[key]}应为整数，例如 {DEFAULTS[key]}") from None
    if not low <= number <= high:
        raise ValidationError.single(key, f"{_LABELS[key]}应在 {low} 到 {high} {unit}之间")
    return number


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


def check_grade_rules(value: Any) -> dict[str, Any]:
    """四色管理 rules typed by an administrator (services/statistics/grades.py); stored as plain JSON."""
    if not isinstance(value, dict):
        raise ValidationError.single(COMPANY_GRADE_RULES, "物业企业评级规则应包含统计月数和两组门槛")
    window = _whole(value.get("window_months"), "统计月数")
    if not 1 <= window <= 36:
        raise ValidationError.single(COMPANY_GRADE_RULES, "物业企业评级的统计月数应在 1 到 36 之间")
    return {"window_months": window, "disputes": list(_thresholds(value.get("disputes"), "纠纷件数")),
            "failed": list(_thresholds(value.get("failed"), "未化解件数"))}


def _thresholds(raw: Any, what: str) -> tuple[int, int, int]:
    if not isinstance(raw, list | tuple) or len(raw) != 3:
        raise ValidationError.single(COMPANY_GRADE_RULES,
                                     f"{what}门槛应为三个数，依次对应蓝色、黄色、红色，例如 30、60、100")
    blue, yellow, red = (_whole(v, what) for v in raw)
    if not 1 <= blue <= yellow <= red <= 100_000:
        raise ValidationError.single(COMPANY_GRADE_RULES, f"{what}门槛应为正整数，且蓝色 ≤ 黄色 ≤ 红色")
    return blue, yellow, red


def _whole(raw: Any, what: str) -> int:
    if isinstance(raw, bool):
        raise ValidationError.single(COMPANY_GRADE_RULES, f"{what}应为整数")
    try:
        number = int(str(raw).strip())
    except ValueError:
        raise ValidationError.single(COMPANY_GRADE_RULES, f"{what}应为整数，现在是“{raw}”") from None
    return number


def check_due_days(value: Any) -> dict[str, int]:
    """The settings table: request type → working days (1–60); it must have a row for 其他."""
    field = HOTLINE_DUE_DAYS
    if not isinstance(value, dict) or not value:
        raise ValidationError.single(field, "12345工单办理时限应为“诉求类别：工作日数”的列表")
    clean: dict[str, int] = {}
    for name, days in value.items():
        label = str(name).strip()
        if not label or len(label) > 20:
            raise ValidationError.single(field, "诉求类别名称不能为空，且不超过20个字")
        try:
            number = int(str(days).strip())
        except ValueError:
            raise ValidationError.single(field, f"“{label}”的办理时限应为工作日数，现在是“{days}”") from None
        if not 1 <= number <= 60:
            raise ValidationError.single(field, f"“{label}”的办理时限应在 1 到 60 个工作日之间")
        clean[label] = number
    if HOTLINE_OTHER_TYPE not in clean:
        raise ValidationError.single(field, "请保留“其他”一行：表中没有列出的诉求类别按它计算")
    return clean


def _check_keep(key: str, value: Any) -> int:
    """A ``backup.keep_*`` setting: how many daily (weekly, monthly) backups to keep."""
    low, high = BACKUP_KEEP_LIMITS[key]
    label = _LABELS[key]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.single(key, f"{label}应为整数，例如 {DEFAULTS[key]}") from None
    if not low <= number <= high:
        raise ValidationError.single(key, f"{label}应在 {low} 到 {high} 份之间")
    return number


def _check_earliest_year(value: Any) -> int:
    label, highest = _LABELS[EARLIEST_YEAR], date.today().year
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValidationError.single(EARLIEST_YEAR, f"{label}应为四位年份，例如 2000") from None
    if not EARLIEST_YEAR_LOWEST <= year <= highest:
        raise ValidationError.single(EARLIEST_YEAR, f"{label}应在 {EARLIEST_YEAR_LOWEST} 到 {highest} 年之间")
    return year


def earliest_day(session: Session) -> date:
    """The first day a date of the register may be (1 January of the setting's year)."""
    try:
        year = int(read(session, EARLIEST_YEAR))
    except (TypeError, ValueError):
        year = int(DEFAULTS[EARLIEST_YEAR])
    return date(min(max(year, EARLIEST_YEAR_LOWEST), date.today().year), 1, 1)


def check_day(ctx: Context, day: date, *, field: str, what: str, earliest: date | None = None) -> date:
    """``day`` if it makes sense for a date of ``what`` (登记日期…): from the earliest year to tomorrow.

    ``earliest`` saves reading the setting again when many rows are checked at once.
    """
    if earliest is None:
        with ctx.db.reading() as session:
            earliest = earliest_day(session)
    latest = ctx.today() + timedelta(days=1)
    return validation.day_within(day, earliest, latest, field=field, what=what,
                                 hint=f"如需填写更早的日期，请管理员在设置中修改“{_LABELS[EARLIEST_YEAR]}”")


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


def write(session: Session, actor: str, key: str, value: Any) -> None:
    """Store a validated setting inside the caller's transaction (for services with their own permission)."""
    clean = validate(key, value)
    row = session.scalar(select(Setting).where(Setting.key == key))
    old = DEFAULTS[key] if row is None else row.value
    if row is None:
        session.add(Setting(key=key, value=clean))
    else:
        row.value = clean
    audit.record(session, actor, "settings", "setting", key, {"old": old, "new": clean})
