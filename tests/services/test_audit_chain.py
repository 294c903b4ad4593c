"""The signed chain catches an edited, a deleted and an inserted entry, wherever it is.

The attacks with the key outside the register (truncation, a wiped trail, the anchor) are in
test_audit_keyed.py, through ``wuye audit verify`` as well.
"""

from __future__ import annotations

from datetime import datetime

from service_helpers import case_in
from sqlalchemy import delete, select, text

from wuye_desktop.models import AuditEvent, CaseStatus, Setting
from wuye_desktop.services import audit
from wuye_desktop.services.context import Context


def busy_register(ctx: Context) -> list[int]:
    for status in (CaseStatus.CLOSED, CaseStatus.MEDIATING, CaseStatus.REFERRED):
        case_in(ctx, status)
    return ids(ctx)


def ids(ctx: Context) -> list[int]:
    with ctx.db.reading() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def hash_of(ctx: Context, event_id: int) -> str:
    with ctx.db.reading() as session:
        return session.get_one(AuditEvent, event_id).entry_hash


def forged(event_id: int, prev_hash: str, actor: str = "王晓燕", detail: str = '{"note": "补录"}') -> AuditEvent:
    """An entry made outside the program, with the only code one can compute without the key: the old SHA-256."""
    at = datetime(2026, 11, 20, 9, 0)
    return AuditEvent(id=event_id, at=at, actor=actor, action="close", object_type="case", object_id="1",
                      detail=detail, prev_hash=prev_hash,
                      entry_hash=audit.legacy_hash(prev_hash, at, actor, "close", "case", "1", detail))


def test_an_untouched_chain_verifies_to_its_head(ctx: Context) -> None:
    entries = busy_register(ctx)
    report = audit.verify(ctx.db)
    assert report.ok and report.notes == [] and report.entries == len(entries)
    with ctx.db.reading() as session:
        head = session.scalar(select(Setting.value).where(Setting.key == audit.HEAD_KEY))
    assert head == {"id": entries[-1], "hash": hash_of(ctx, entries[-1])}


def test_an_edited_detail_is_named(ctx: Context) -> None:
    # What the outside check does: append to the last text column of a middle row.
    entries = busy_register(ctx)
    target = entries[len(entries) // 2]
    with ctx.db.writing() as session:
        session.execute(text("UPDATE audit_event SET detail = detail || 'x' WHERE id = :i"), {"i": target})
    problems = audit.verify(ctx.db).problems
    assert len(problems) == 1 and problems[0].startswith(f"第 {target} 条（") and "内容被改动过" in problems[0]


def test_an_edit_with_a_recomputed_hash_fails_its_code_and_breaks_the_next_link(ctx: Context) -> None:
    entries = busy_register(ctx)
    target, following = entries[5], entries[6]
    with ctx.db.writing() as session:
        event = session.get_one(AuditEvent, target)
        event.actor = "系统"
        event.entry_hash = audit.legacy_hash(event.prev_hash, event.at, event.actor, event.action,
                                             event.object_type, event.object_id, event.detail)
    problems = audit.verify(ctx.db).problems
    assert len(problems) == 2
    assert problems[0].startswith(f"第 {target} 条（") and "按旧的无密钥方式重新计算" in problems[0]
    assert problems[1] == f"第 {following} 条之前的记录被删除或改动过（链条断开）"


def test_an_edited_time_is_named_without_crashing(ctx: Context) -> None:
    entries = busy_register(ctx)
    target = entries[3]
    bad = "昨天下午" if ctx.db.is_sqlite else "2020-01-01 08:00:00"  # PostgreSQL refuses text that is no time
    with ctx.db.writing() as session:
        session.execute(text(f"UPDATE audit_event SET at = '{bad}' WHERE id = :i"), {"i": target})
    problems = audit.verify(ctx.db).problems
    assert len(problems) == 1 and problems[0].startswith(f"第 {target} 条")


def test_deleted_entries_are_named_at_the_start_in_the_middle_and_at_the_end(ctx: Context) -> None:
    entries = busy_register(ctx)
    with ctx.db.writing() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_([entries[0], entries[7], entries[8]])))
    problems = audit.verify(ctx.db).problems
    assert problems == [f"第 {entries[1]} 条之前的记录被删除或改动过（链条断开）",
                        f"第 {entries[9]} 条之前的记录被删除或改动过（链条断开）"]

    with ctx.db.writing() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_(entries[-2:])))
    tail = audit.verify(ctx.db).problems[-1]
    assert tail == f"末尾的记录被删除：本机最后写入的是第 {entries[-1]} 条，现在只到第 {entries[-3]} 条"


def test_an_entry_inserted_in_the_middle_is_named(ctx: Context) -> None:
    entries = busy_register(ctx)
    after = entries[4]
    with ctx.db.writing() as session:  # make room after entry 5, as an insertion by hand would
        session.execute(text("UPDATE audit_event SET id = id + 1000 WHERE id > :i"), {"i": after})
        session.add(forged(after + 1, hash_of(ctx, after)))
    problems = audit.verify(ctx.db).problems
    assert f"第 {after + 1} 条不在原来的链条中（是后来插入的），位于第 {entries[5] + 1000} 条之前" in problems
    assert any(p.startswith(f"第 {after + 1} 条（") and "不是本程序写入的" in p for p in problems)
    # the entries moved to make room carry their number in their code: they are told too
    assert any(p.startswith(f"第 {entries[5] + 1000} 至 {entries[-1] + 1000} 条") for p in problems)


def test_an_entry_appended_behind_the_programs_back_is_named(ctx: Context) -> None:
    entries = busy_register(ctx)
    with ctx.db.writing() as session:
        session.add(forged(entries[-1] + 1, hash_of(ctx, entries[-1])))
    problems = audit.verify(ctx.db).problems
    assert problems[0].startswith(f"第 {entries[-1] + 1} 条（") and "不是本程序写入的" in problems[0]
    assert f"第 {entries[-1] + 1} 至 {entries[-1] + 1} 条不是本程序写入的（链尾之后被追加）" in problems


def test_the_program_keeps_appending_after_a_tamper_and_the_tamper_stays_visible(ctx: Context) -> None:
    entries = busy_register(ctx)
    with ctx.db.writing() as session:
        session.execute(text("UPDATE audit_event SET action = 'view' WHERE id = :i"), {"i": entries[2]})
    case_in(ctx, CaseStatus.AGREED)
    report = audit.verify(ctx.db)
    assert len(report.problems) == 1 and f"第 {entries[2]} 条" in report.problems[0]


def test_the_head_setting_alone_gone_is_no_problem_the_anchor_keeps_the_end(ctx: Context) -> None:
    busy_register(ctx)
    with ctx.db.writing() as session:
        session.execute(delete(Setting).where(Setting.key == audit.HEAD_KEY))
    report = audit.verify(ctx.db)
    assert report.ok and report.notes == []
    case_in(ctx, CaseStatus.REGISTERED)
    with ctx.db.reading() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == audit.HEAD_KEY)) is not None


def test_personal_numbers_never_reach_an_entry(ctx: Context) -> None:
    with ctx.db.writing() as session:
        event = audit.record(session, "王晓燕", "edit_party", "case", 1,
                             {"note": "电话13812345678，身份证11010519491231002X"})
    assert "13812345678" not in event.detail and "11010519491231002X" not in event.detail
    assert "138****5678" in event.detail and "110***********002X" in event.detail
    assert audit.verify(ctx.db).ok


def test_changes_are_listed_field_by_field_with_personal_values_masked() -> None:
    before = {"phone": "13812345678", "id_number": "11010519491231002X", "summary": "漏水", "room": "502"}
    after = {"phone": "13900001111", "id_number": "11010519491231002X", "summary": "楼上漏水", "room": "502"}
    assert audit.changes(before, after) == {"phone": ["138****5678", "139****1111"], "summary": ["漏水", "楼上漏水"]}
