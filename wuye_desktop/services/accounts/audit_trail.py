"""The audit trail as the administrator reads it: filters, pages, the chain check, export.

Entries are shown as written; the details were masked when they were
recorded (``audit.record``), so nothing here can reveal personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.models import AuditEvent, CaseStatus, MediationCase
from wuye_desktop.services import audit, outputs, validation
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

KEY_FILE = outputs.FileKind(".key", "审计密钥文件")

ACTION_LABELS: dict[str, str] = {
    # signing in and accounts
    "login": "登录", "login_failed": "登录失败", "lock_account": "账户被锁定", "logout": "退出登录",
    "unlock_screen": "解除锁屏", "unlock_screen_failed": "解除锁屏失败",
    "create_account": "新建账户", "update_account": "修改账户", "reset_password": "重置密码",
    "change_password": "修改本人密码", "change_password_failed": "修改密码时原密码错误",
    "unlock_account": "解锁账户", "deactivate_account": "停用账户",
    "activate_account": "启用账户",
    # the register
    "init": "创建台账", "demo": "生成演示数据", "create": "新建", "update": "修改", "rename": "改名",
    "reorder": "调整顺序", "activate": "启用", "deactivate": "停用", "settings": "修改设置",
    "accept": "受理", "refuse": "不予受理", "start": "开始调解", "agree": "达成协议", "terminate": "终止调解",
    "refer": "转办", "close": "结案归档", "reopen": "重新调解", "escalate": "上报", "extend": "延长期限",
    "assign": "指派调解员", "recuse": "调解员回避", "step": "记录协商步骤",
    "draft_agreement": "起草协议", "edit_agreement": "修改协议草稿", "discard_agreement": "删除协议草稿",
    "sign_agreement": "协议签署生效", "judicial": "司法确认", "visit": "回访",
    "edit_case": "修改案件", "edit_party": "修改当事人", "add_party": "增加当事人", "remove_party": "移除当事人",
    "add_record": "添加记录", "edit_record": "修改记录", "delete_record": "删除记录",
    "add_attachment": "添加附件", "open_attachment": "打开附件", "remove_attachment": "移除附件",
    # looking at, and taking away, personal data
    "reveal": "查看完整个人信息", "print": "打印", "export": "导出", "import": "导入",
    "backup": "备份", "restore": "恢复备份", "restore_refused": "拒绝恢复备份",
    "audit_upgrade": "审计记录改用密钥签名", "audit_new_key": "启用新的审计密钥", "export_key": "导出审计密钥",
    "exchange_export": "导出报送文件", "exchange_import": "导入报送文件",
    "exchange_trust_room": "登记调解室的签名指纹",
    "migrate_in": "从单机台账迁入", "migrate_out": "迁移到服务器",
}
OBJECT_LABELS: dict[str, str] = {
    "case": "案件", "account": "账户", "setting": "设置", "register": "台账", "committee": "调委会",
    "community": "社区", "estate": "小区", "building": "楼栋", "property_company": "物业企业",
    "mediator": "调解员", "party": "当事人", "agreement": "协议", "audit": "审计记录",
    "work_order": "12345工单", "backup": "备份", "report": "统计报表", "server": "服务器连接",
}
_DETAIL_LABELS: dict[str, str] = {
    "number": "编号", "from": "原状态", "to": "新状态", "note": "说明", "reason": "原因", "old": "原值",
    "new": "新值", "fields": "修改项", "role": "角色", "name": "姓名", "party_id": "当事人", "party": "当事人",
    "parties": "当事人", "agreement": "协议", "file": "文件", "rows": "条数", "attempts": "连续失败次数",
    "until": "锁定至", "username": "用户名", "cases": "案件数", "performance": "履行情况", "step": "步骤",
    "mediator": "调解员", "filter": "筛选条件", "created": "创建", "active": "启用",
    "backup": "备份文件", "encrypted": "加密", "warning": "警告", "decision": "决定",
    "fingerprint": "签名指纹", "old_fingerprint": "原登记的签名指纹", "committee": "调委会",
    "scheme": "签名方式", "rechained": "重新签名的记录", "kept_unsigned": "保持原样的旧记录",
    "old_problems": "旧链条的问题", "previous_key": "原密钥编号", "key": "新密钥编号", "entries": "此前的记录",
}
# Field names inside "fields" (a list of what changed, or {field: [old, new]}).
_FIELD_LABELS: dict[str, str] = {
    "summary": "简要案情", "facts": "纠纷事实", "source": "来源", "source_ref": "来源编号",
    "official_type": "纠纷类型", "subtype_id": "纠纷小类", "estate_id": "小区", "building_id": "楼栋",
    "property_company_id": "物业企业", "risk": "风险等级", "amount": "金额", "people_count": "涉及人数",
    "name": "姓名", "phone": "电话", "id_number": "证件号码", "address": "地址", "gender": "性别",
    "ethnicity": "民族", "occupation": "职业", "age": "年龄", "birth_date": "出生日期", "room": "房号",
    "role": "角色", "mediator": "调解员", "kind": "类别", "clauses": "协议条款", "recorder": "记录人",
    # what a new register or a demo was given ("created")
    "committee": "调委会", "subtypes": "纠纷小类", "steps": "五步工作法步骤", "places": "社区、小区和物业企业",
    "register_uid": "台账标识",
}
_STATUS_LABELS = {status.value: status.label for status in CaseStatus}
_HIDDEN_DETAIL = {"party_id", "sha256"}  # internal keys; the name beside them says who
EXPORT_CHUNK = 5000


@dataclass
class AuditFilter:
    actor: str = ""
    case: str = ""  # a case number (（2026）某某调字第12号), or 12 for this year's twelfth
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    action_label: str
    object_label: str  # 案件 （2026）某某调字第12号, 账户 lizhen, ...
    detail: str  # readable Chinese text of the (already masked) detail


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _where(session: Session, ctx: Context, f: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.actor.strip():
        conditions.append(AuditEvent.actor == f.actor.strip())
    if f.action.strip():
        conditions.append(AuditEvent.action == f.action.strip())
    if f.date_from is not None and f.date_to is not None and f.date_from > f.date_to:
        raise ValidationError.single("date_to", "结束日期不能早于开始日期")
    if f.date_from is not None:
        conditions.append(AuditEvent.at >= datetime.combine(f.date_from, time.min))
    if f.date_to is not None:
        conditions.append(AuditEvent.at < datetime.combine(f.date_to + timedelta(days=1), time.min))
    if f.case.strip():
        case_id = _case_id(session, ctx, f.case.strip())
        conditions.append((AuditEvent.object_type == "case") & (AuditEvent.object_id == str(case_id)))
    return conditions


def _case_id(session: Session, ctx: Context, reference: str) -> int:
    found = session.scalar(select(MediationCase.id).where(MediationCase.number == reference))
    number = validation.small_whole_number(reference)
    if found is None and number is not None:
        found = session.scalar(select(MediationCase.id).where(
            (MediationCase.year == ctx.today().year) & (MediationCase.seq == number)))
    if found is None:
        raise ValidationError.single(
            "case", f"找不到案件“{reference}”，请输入完整的案件编号，例如（2026）某某调字第12号")
    return found


@requires(Permission.AUDIT)
def count(ctx: Context, f: AuditFilter) -> int:
    with ctx.db.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(*_where(session, ctx, f))) or 0


@requires(Permission.AUDIT)
def page(ctx: Context, f: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
    """The newest entries first."""
    with ctx.db.reading() as session:
        return _rows(session, ctx, f, offset, limit)


def _rows(session: Session, ctx: Context, f: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
    events = list(session.scalars(
        select(AuditEvent).where(*_where(session, ctx, f)).order_by(AuditEvent.id.desc()).offset(offset).limit(limit)
    ))
    numbers = _case_numbers(session, [e.object_id for e in events if e.object_type == "case"])
    return [
        # Details are masked when written (audit.record); masked again here for entries older than the detector.
        AuditRow(e.id, e.at, e.actor, e.action, action_label(e.action),
                 _object_text(e.object_type, e.object_id, numbers), validation.mask_text(describe(e.detail)))
        for e in events
    ]


def _case_numbers(session: Session, ids: list[str]) -> dict[str, str]:
    wanted = {int(i) for i in ids if i.isdigit()}
    if not wanted:
        return {}
    found = session.execute(select(MediationCase.id, MediationCase.number).where(MediationCase.id.in_(wanted)))
    return {str(case_id): number for case_id, number in found}


def _object_text(object_type: str, object_id: str, numbers: dict[str, str]) -> str:
    kind = OBJECT_LABELS.get(object_type, object_type)
    if object_type == "case" and object_id in numbers:
        return f"{kind} {numbers[object_id]}"
    return f"{kind} {object_id}".strip()


def describe(detail: str) -> str:
    """The JSON detail as a line a person reads: 原状态：登记；新状态：已受理."""
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)
    return "；".join(f"{_key_text(k, v)}：{_value_text(k, v)}" for k, v in data.items()
                    if v not in (None, "", [], {}) and k not in _HIDDEN_DETAIL)


def _key_text(key: str, value: Any) -> str:
    if key in ("from", "to") and value not in _STATUS_LABELS:
        return "起" if key == "from" else "止"  # a range (demo batches), not a status change
    return _DETAIL_LABELS.get(key, key)


def _value_text(key: str, value: Any) -> str:
    if key in ("from", "to") and isinstance(value, str):
        return _STATUS_LABELS.get(value, value)
    if isinstance(value, dict):
        return "，".join(f"{_FIELD_LABELS.get(name, name)} {_value_text(name, v)}" for name, v in value.items())
    if key == "created" and isinstance(value, str):
        return _FIELD_LABELS.get(value, value)
    if key in ("fields", "created") and isinstance(value, list):
        return "、".join(_FIELD_LABELS.get(str(v), str(v)) for v in value)
    if isinstance(value, list) and len(value) == 2 and key not in ("created",):
        return f"{_or_empty(value[0])} → {_or_empty(value[1])}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _or_empty(value: Any) -> str:
    return "（空）" if value in (None, "") else str(value)


@requires(Permission.AUDIT)
def actors(ctx: Context) -> list[str]:
    """Everyone who appears in the trail, for the user filter."""
    with ctx.db.reading() as session:
        return sorted(session.scalars(select(AuditEvent.actor).distinct()))


@requires(Permission.AUDIT)
def actions(ctx: Context) -> list[tuple[str, str]]:
    """(code, label) of the actions that appear in the trail, for the action filter."""
    with ctx.db.reading() as session:
        present = set(session.scalars(select(AuditEvent.action).distinct()))
    known = [(code, label) for code, label in ACTION_LABELS.items() if code in present]
    return known + sorted((code, code) for code in present - ACTION_LABELS.keys())


@requires(Permission.AUDIT)
def check(ctx: Context) -> audit.ChainReport:
    """The chain check of ``wuye audit verify``, for the audit screen."""
    return audit.verify(ctx.db)


@requires(Permission.AUDIT)
def export_key(ctx: Context, path: str | Path, *, replace: bool = False) -> Path:
    """The register's audit key to a file, for another PC (``import_key_file`` there); the export is audited.

    The file is only its owner's (0600), checked like every output (never over the register), and
    ``replace``s a file already there only when the user agreed.
    """
    written = outputs.check(ctx, path, KEY_FILE, replace=replace)
    content = audit.key_file_text(ctx.db)
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "export_key", "audit", "", {"file": written.name})
        outputs.write_bytes(written, content.encode("utf-8"))
    return written


@requires(Permission.AUDIT)
def new_key(ctx: Context) -> int:
    """The register's audit key is lost: sign from now on with a new one made on this PC (``audit.take_over``)."""
    return audit.take_over(ctx.db, ctx.actor)


@requires(Permission.AUDIT)
def export(ctx: Context, f: AuditFilter, path: str | Path, *, replace: bool = False) -> int:
    """Write the entries the filter selects to an xlsx file; the export is itself audited.

    ``replace``: the user agreed to replace a file already there (never the register, see ``outputs``).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    target = outputs.check(ctx, path, outputs.WORKBOOK, replace=replace)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计记录")
    for column, width in zip("ABCDEFG", (8, 20, 12, 16, 34, 60, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    title = f"审计记录（导出：{ctx.now():%Y-%m-%d %H:%M}，{ctx.actor}；条件：{_filter_text(f)}）"
    sheet.append([title])
    bold = Font(bold=True)
    sheet.append([_bold(sheet, text, bold) for text in ("序号", "时间", "用户", "操作", "对象", "详情", "校验码")])
    written = 0
    with ctx.db.reading() as session:
        while rows := _export_rows(session, ctx, f, written):
            for row, code in rows:
                sheet.append([row.id, f"{row.at:%Y-%m-%d %H:%M:%S}", row.actor, row.action_label,
                              row.object_label, row.detail, code[:16]])
            written += len(rows)
    with outputs.saving(target) as temp:
        try:
            book.save(temp)
        except OSError as exc:
            for written_sheet in book.worksheets:  # a write-only sheet left open fails later, when collected
                written_sheet.close()
            raise StorageError(
                f"无法写入“{target}”：{exc.strerror or exc}。请换一个文件夹，或检查磁盘空间和权限。") from exc
        with ctx.db.writing() as session:
            audit.record(session, ctx.actor, "export", "audit", "",
                         {"rows": written, "file": target.name, "filter": _filter_text(f)}, at=ctx.now())
            outputs.replace_file(temp, target)
    return written


def _bold(sheet: Any, text: str, font: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _export_rows(session: Session, ctx: Context, f: AuditFilter, offset: int) -> list[tuple[AuditRow, str]]:
    rows = _rows(session, ctx, f, offset, EXPORT_CHUNK)
    hashes = dict(session.execute(
        select(AuditEvent.id, AuditEvent.entry_hash).where(AuditEvent.id.in_([r.id for r in rows]))).all())
    return [(row, hashes[row.id]) for row in rows]


def _filter_text(f: AuditFilter) -> str:
    parts = {
        "用户": f.actor, "案件": f.case, "操作": action_label(f.action) if f.action else "",
        "起": f"{f.date_from:%Y-%m-%d}" if f.date_from else "", "止": f"{f.date_to:%Y-%m-%d}" if f.date_to else "",
    }
    text = "，".join(f"{k} {v}" for k, v in parts.items() if v)
    return text or "全部"

