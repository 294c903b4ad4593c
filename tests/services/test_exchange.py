"""The offline roll-up: a room's period file, checked whole, merged into the county's register by uid.

The rooms are SQLite registers of their own (as in the field); the county is
the ``ctx`` register, so every merge runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from service_helpers import (
    TODAY,
    add_estate,
    add_mediator,
    audit_since,
    draft_agreement,
    last_audit_id,
    person,
    register_case,
    step_input,
)
from sqlalchemy import func, select

from wuye_desktop.errors import DomainError, PermissionDeniedError, ValidationError
from wuye_desktop.models import (
    Agreement,
    AgreementClause,
    Base,
    Committee,
    Estate,
    MediationCase,
    PartyRole,
    Role,
)
from wuye_desktop.services import demo, exchange, reference, settings
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.listing import CaseFilter, count
from wuye_desktop.services.casework import mediation
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.exchange import _package as exchange_pack
from wuye_desktop.services.exchange._package import DamagedFileError
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.services.server.migration import digest
from wuye_desktop.storage import redact

Room = Callable[..., Context]


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    """A room's own register on its PC, with demo cases: room(name, cases, seed)."""
    opened = []

    def make(name: str = "room", cases: int = 40, seed: int = 8) -> Context:
        db = open_register(data_dir=str(tmp_path / name))
        opened.append(db)
        ctx = Context(db, User("何静", Role.CLERK), today_override=TODAY)
        if cases:
            demo.generate(Context(db, User("管理员"), today_override=TODAY), cases, seed=seed)
        return ctx

    yield make
    for db in opened:
        db.dispose()


def state(ctx: Context) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table but the audit trail: what "nothing changed" means."""
    with ctx.db.reading() as session:
        return {t.name: digest(session, t) for t in Base.metadata.sorted_tables if t.name != "audit_event"}


def case_numbers(ctx: Context) -> list[str]:
    with ctx.db.reading() as session:
        return sorted(session.scalars(select(MediationCase.number)))


def flip_byte(source: Path, target: Path, offset: int | None = None) -> Path:
    data = bytearray(source.read_bytes())
    where = len(data) // 2 if offset is None else offset
    data[where] ^= 0x5A
    target.write_bytes(bytes(data))
    return target


# -- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2026-10", "2026-10", "2026-10-01", "2026-10-31"),
    ("2026年2月", "2026-02", "2026-02-01", "2026-02-28"),
    ("2026Q4", "2026Q4", "2026-10-01", "2026-12-31"),
    ("2026年第1季度", "2026Q1", "2026-01-01", "2026-03-31"),
    ("2026", "2026", "2026-01-01", "2026-12-31"),
])
def test_periods_as_clerks_write_them(text: str, label: str, start: str, end: str) -> None:
    period = exchange.parse_period(text)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)


@pytest.mark.parametrize("text", ["2026-13", "十月", "2026Q5", ""])
def test_a_period_that_is_not_one_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        exchange.parse_period(text)
    assert "2026-10" in raised.value.message and "2026Q4" in raised.value.message


# -- export --------------------------------------------------------------------------------


def test_export_writes_one_file_with_manifest_and_checksums(room: Room, tmp_path: Path) -> None:
    ctx = room()
    report = exchange.export_period(ctx, "2026-11", tmp_path / "out.wyx")
    package = exchange_pack.read(report.path)
    manifest = package.manifest
    assert manifest["committee"]["name"] == "黄石港街道幸福里社区人民调解委员会"
    assert manifest["committee"]["short_name"] == "幸福里"
    with ctx.db.reading() as session:
        assert manifest["committee"]["uid"] == session.scalar(select(Committee.uid).order_by(Committee.id))
    assert manifest["period"] == {"label": "2026-11", "start": "2026-11-01", "end": "2026-11-30"}
    assert manifest["program_version"] and manifest["schema_revision"] and manifest["created_at"]
    assert manifest["personal"] == "mask"
    assert manifest["counts"]["mediation_case"] == report.cases > 0
    assert set(manifest["members"]) == {f"data/{t}.json" for t in manifest["counts"]}
    for table in ("mediation_case", "case_party", "consultation_step", "agreement", "agreement_clause",
                  "return_visit", "case_event", "party", "mediation_record", "assignment"):
        assert table in package.tables
    # Every case open during November or with anything dated in it, and no other.
    with ctx.db.reading() as session:
        expected = set(session.scalars(select(MediationCase.uid).where(
            MediationCase.registered_on <= TODAY,
            (MediationCase.closed_on.is_(None)) | (MediationCase.closed_on >= TODAY.replace(day=1)))))
    exported = {r["uid"] for r in package.tables["mediation_case"]}
    assert expected <= exported
    assert ctx.db.is_sqlite


def test_personal_data_is_masked_by_default_everywhere_in_the_file(room: Room, tmp_path: Path) -> None:
    ctx = room(cases=0)
    applicant_id = "420202198001011234"
    register_case(ctx, "张伟峰家卫生间漏水，联系电话13812345678",
                  parties=[person("张伟峰", id_number="", phone="13812345678", address="幸福里小区3号楼2单元501"),
                           person("李秀英", role=PartyRole.RESPONDENT, id_number="")],
                  facts=f"张伟峰（身份证{applicant_id}）称李秀英家装修后漏水")
    path = exchange.export_period(ctx, "2026-11", tmp_path / "out.wyx").path
    text = _all_text(path)
    for secret in ("张伟峰", "李秀英", "13812345678", applicant_id, "2单元501"):
        assert secret not in text
    assert "张**" in text and "李**" in text and "138****5678" in text and "幸福里小区3号楼****" in text


def test_remove_mode_leaves_no_names_at_all(room: Room, tmp_path: Path) -> None:
    ctx = room(cases=0)
    register_case(ctx, "王建国与赵丽华噪声纠纷", parties=[person("王建国", phone="13912345678"),
                                                  person("赵丽华", role=PartyRole.RESPONDENT)])
    settings.put(Context(ctx.db, User("管理员"), today_override=TODAY), settings.EXCHANGE_PERSONAL, "remove")
    path = exchange.export_period(ctx, "2026", tmp_path / "out.wyx").path
    text = _all_text(path)
    assert "王建国" not in text and "赵丽华" not in text and "王*" not in text and "1391234" not in text
    assert "（已隐去）" in text and "某某与某某噪声纠纷" in text
    assert exchange_pack.read(path).manifest["personal"] == "remove"


# Every way clerks type personal numbers into the free text of a case.
TYPED = ["+86 139 8765 4321", "139-8765-4322", "１３９８７６５４３２３", "420106 19850612 0012", "420106850612001",
         "0714-6228899转123", "3栋2单元501室", "13912345678", "42020219800101123X"]


def _free_text(path: Path) -> str:
    """The free text of every row in the file (facts, minutes, clauses, notes), as the county reads it."""
    from wuye_desktop.services.exchange.privacy import TEXT_FIELDS

    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for table, fields in TEXT_FIELDS.items():
            for row in json.loads(archive.read(f"data/{table}.json")):
                found += [row[f] for f in fields if row.get(f)]
    return "\n".join(found)


@pytest.mark.parametrize(("mode", "shown"), [
    ("mask", ["139****4321", "420***********0012", "0714-****8899", "3栋****"]), ("remove", ["（已隐去）"])])
def test_numbers_typed_into_free_text_never_leave_the_room(room: Room, tmp_path: Path, mode: str,
                                                           shown: list[str]) -> None:
    from wuye_desktop.models import Performance, RecordKind
    from wuye_desktop.services.cases.dto import VisitInput
    from wuye_desktop.services.casework import agreements, records

    ctx = room(cases=0)
    every = "，".join(TYPED)
    case_id = register_case(ctx, "张伟峰（+86 139 8765 4321）诉楼上漏水", facts=f"据称：{every}",
                            parties=[person("张伟峰", id_number=""), person("李秀英", role=PartyRole.RESPONDENT,
                                                                             id_number="")]).id
    workflow.accept(ctx, case_id)
    mediation.recuse(ctx, mediation.assign(ctx, case_id, add_mediator(ctx, "刘调解")), f"回避：{every}")
    workflow.extend_deadline(ctx, case_id, "2027-01-20", f"延期：{every}")  # the case's history keeps the reason
    mediation.record_step(ctx, case_id, step_input(content=f"到场：{every}"))
    records.add_record(ctx, case_id, records.RecordInput(RecordKind.SESSION, datetime(2026, 11, 10, 9), "调解",
                                                         statements=f"陈述：{every}"))
    agreement = draft_agreement(ctx, case_id, clauses=[f"李秀英于2026年11月30日前付款至{every}，共1,200.50元"])
    agreements.sign(ctx, agreement)
    agreements.record_visit(ctx, case_id, VisitInput("2026-11-20", "李桂兰", Performance.PERFORMED,
                                                     notes=f"回访：{every}"))
    settings.put(Context(ctx.db, User("管理员"), today_override=TODAY), settings.EXCHANGE_PERSONAL, mode)
    path = exchange.export_period(ctx, "2026-11", tmp_path / "out.wyx").path
    assert [typed for typed in TYPED if typed in _all_text(path)] == []
    text = _free_text(path)
    assert redact.find(text) == [], "nothing the detector would find"
    for masked in shown:
        assert masked in text, masked
    assert "1,200.50元" in text and "2026年11月30日" in text and "诉楼上漏水" in text


def test_the_personal_setting_accepts_only_mask_or_remove(room: Room) -> None:
    admin = Context(room(cases=0).db, User("管理员"), today_override=TODAY)
    with pytest.raises(ValidationError):
        settings.put(admin, settings.EXCHANGE_PERSONAL, "everything")


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())


def test_an_empty_or_future_period_writes_nothing(room: Room, tmp_path: Path) -> None:
    ctx = room(cases=0)
    with pytest.raises(DomainError, match="没有需要报送的案件"):
        exchange.export_period(ctx, "2026-11", tmp_path / "empty.wyx")
    with pytest.raises(ValidationError, match="还没有开始"):
        exchange.export_period(ctx, "2027-01", tmp_path / "future.wyx")
    assert not list(tmp_path.glob("*.wyx"))


def test_export_is_audited_and_needs_the_export_permission(room: Room, tmp_path: Path) -> None:
    ctx = room()
    viewer = Context(ctx.db, User("游客", Role.VIEWER), today_override=TODAY)
    with pytest.raises(PermissionDeniedError):
        exchange.export_period(viewer, "2026-11", tmp_path / "x.wyx")
    exchange.export_period(ctx, "2026-11", tmp_path / "x.wyx")
    assert ("何静", "exchange_export") in [(a, b) for a, b, _t, _o in audit_since(ctx, 0)]


# -- import --------------------------------------------------------------------------------


def test_import_merges_a_room_and_twice_changes_nothing(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    file = exchange.export_period(a, "2026", tmp_path / "a.wyx")
    report = exchange.import_files(ctx, [file.path], trust_new_rooms=True)
    assert report.files[0].counts.cases_new == file.cases
    assert count(ctx, CaseFilter()) == file.cases
    imported = {n for n in case_numbers(ctx)}
    with a.db.reading() as session:
        room_numbers = set(session.scalars(select(MediationCase.number).where(
            MediationCase.uid.in_([r["uid"] for r in exchange_pack.read(file.path).tables["mediation_case"]]))))
    assert imported == room_numbers  # the room's own numbers, never renumbered
    with ctx.db.reading() as session:
        committees = session.execute(select(Committee.name, Committee.short_name).order_by(Committee.id)).all()
    assert committees == [("人民调解委员会", "某某"), ("黄石港街道幸福里社区人民调解委员会", "幸福里")]

    before = state(ctx)
    again = exchange.import_files(ctx, [file.path], trust_new_rooms=True)
    assert again.changed == 0 and again.files[0].counts.cases_unchanged == file.cases
    assert state(ctx) == before


def test_search_finds_imported_cases_by_masked_text(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room(cases=0)
    register_case(a, "电梯长期故障", parties=[person("欧阳娜娜", phone="13700001111")])
    exchange.import_files(ctx, [exchange.export_period(a, "2026-11", tmp_path / "a.wyx").path], trust_new_rooms=True)
    assert count(ctx, CaseFilter(text="电梯")) == 1
    assert count(ctx, CaseFilter(text="欧***")) == 1
    assert count(ctx, CaseFilter(text="欧阳娜娜")) == 0


def test_a_newer_export_updates_the_case_and_an_older_one_does_not_undo_it(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room(cases=0)
    case = register_case(a, "楼道堆放杂物")
    old = exchange.export_period(a, "2026-11", tmp_path / "old.wyx").path
    exchange.import_files(ctx, [old], trust_new_rooms=True)
    workflow.accept(a, case.id)
    mediation.record_step(a, case.id, step_input(18, content="现场查看楼道"))
    new = exchange.export_period(a, "2026-11", tmp_path / "new.wyx").path

    report = exchange.import_files(ctx, [new], trust_new_rooms=True)
    assert report.files[0].counts.cases_updated == 1
    [row] = _county_cases(ctx)
    assert row.status.label == "调解中"  # accepted, then the first step started mediation
    assert row.number == case.number

    after_new = state(ctx)
    stale = exchange.import_files(ctx, [old], trust_new_rooms=True)
    assert stale.files[0].counts.cases_older == 1
    assert state(ctx) == after_new


def _county_cases(ctx: Context) -> list[MediationCase]:
    with ctx.db.reading() as session:
        own = session.scalar(select(func.min(Committee.id)))
        found = list(session.scalars(select(MediationCase).where(MediationCase.committee_id != own)))
        for row in found:
            session.expunge(row)
        return found


def test_rows_the_room_removed_are_removed_at_the_county(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room(cases=0)
    case = register_case(a, "占用消防通道")
    workflow.accept(a, case.id)
    draft = draft_agreement(a, case.id)
    exchange.import_files(ctx, [exchange.export_period(a, "2026-11", tmp_path / "1.wyx").path], trust_new_rooms=True)
    with a.db.writing() as session:  # the clerk threw the draft away
        row = session.get_one(Agreement, draft)
        session.delete(row)
        session.get_one(MediationCase, case.id).summary = "占用消防通道（已清理）"
    exchange.import_files(ctx, [exchange.export_period(a, "2026-11", tmp_path / "2.wyx").path], trust_new_rooms=True)
    with ctx.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Agreement)) == 0
        assert session.scalar(select(func.count()).select_from(AgreementClause)) == 0


def test_two_rooms_with_the_same_places_share_them_and_keep_their_numbers(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a, b = room("a", 30, seed=8), room("b", 30, seed=9)
    files = [exchange.export_period(r, "2026", tmp_path / f"{i}.wyx").path for i, r in enumerate((a, b))]
    exchange.import_files(ctx, files, trust_new_rooms=True)
    numbers = case_numbers(ctx)
    assert len(numbers) == sum(len(exchange_pack.read(f).tables["mediation_case"]) for f in files)
    assert len(set(numbers)) < len(numbers)  # both rooms are 幸福里: the same numbers, under two committees
    with ctx.db.reading() as session:
        committees = session.scalar(select(func.count()).select_from(Committee))
        estates = session.scalar(select(func.count(func.distinct(Estate.name))))
        assert committees == 3
        assert session.scalar(select(func.count()).select_from(Estate)) == estates  # one row per estate

    # The county's own numbering goes on from its own counter, untouched by the rooms'.
    own = register_case(ctx, "县中心直接受理的纠纷")
    assert own.number == "（2026）某某调字第1号"


def test_a_damaged_file_is_refused_and_nothing_is_merged(ctx: Context, room: Room, tmp_path: Path) -> None:
    good = exchange.export_period(room(), "2026", tmp_path / "good.wyx").path
    before = state(ctx)
    for i, offset in enumerate((None, 10, -3, -80, 40)):
        bad = flip_byte(good, tmp_path / f"bad{i}.wyx", None if offset is None else offset % good.stat().st_size)
        with pytest.raises(DamagedFileError) as raised:
            exchange.import_files(ctx, [good, bad], trust_new_rooms=True)  # one good file with it: still nothing merged
        assert f"bad{i}.wyx" in raised.value.message
    truncated = tmp_path / "short.wyx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_zip = tmp_path / "notes.wyx"
    not_zip.write_text("这不是交换文件", encoding="utf-8")
    for path in (truncated, not_zip, tmp_path / "missing.wyx"):
        with pytest.raises(DamagedFileError):
            exchange.import_files(ctx, [path], trust_new_rooms=True)
    assert state(ctx) == before


def test_a_file_rewritten_by_hand_is_refused(ctx: Context, room: Room, tmp_path: Path) -> None:
    good = exchange.export_period(room(), "2026-11", tmp_path / "good.wyx").path
    forged = tmp_path / "forged.wyx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(forged, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest["committee"]["name"] = "别的调委会"
                data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
            out.writestr(name, data)
    with pytest.raises(DamagedFileError, match=r"forged\.wyx"):
        exchange.import_files(ctx, [forged], trust_new_rooms=True)
    assert count(ctx, CaseFilter()) == 0


def test_a_file_from_a_newer_program_is_refused(ctx: Context, room: Room, tmp_path: Path) -> None:
    good = exchange_pack.read(exchange.export_period(room(), "2026-11", tmp_path / "good.wyx").path)
    newer = tmp_path / "newer.wyx"
    exchange_pack.write(newer, dict(good.manifest, schema_revision="9999"), good.tables, Ed25519PrivateKey.generate())
    with pytest.raises(DamagedFileError, match="更新版本"):
        exchange.import_files(ctx, [newer], trust_new_rooms=True)


def test_a_rooms_own_file_is_not_imported_back(room: Room, tmp_path: Path) -> None:
    a = room()
    path = exchange.export_period(a, "2026-11", tmp_path / "a.wyx").path
    with pytest.raises(DomainError, match="本台账自己导出"):
        exchange.import_files(a, [path], trust_new_rooms=True)


def test_import_is_audited_once_per_change(ctx: Context, room: Room, tmp_path: Path) -> None:
    path = exchange.export_period(room(), "2026-11", tmp_path / "a.wyx").path
    start = last_audit_id(ctx)
    exchange.import_files(ctx, [path], trust_new_rooms=True)
    exchange.import_files(ctx, [path], trust_new_rooms=True)
    assert [a[1] for a in audit_since(ctx, start)] == ["exchange_trust_room", "exchange_import"]


def test_places_the_county_already_has_are_reused(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room(cases=0)
    place = add_estate(a, "幸福里小区", "红星物业", 11)
    register_case(a, "物业费争议", estate_id=place.estate_id)
    add_estate(ctx, "幸福里小区", "红星物业", 11)  # the county registered the same estate itself
    exchange.import_files(ctx, [exchange.export_period(a, "2026-11", tmp_path / "a.wyx").path], trust_new_rooms=True)
    assert [c.name for c in reference.estates(ctx)] == ["幸福里小区"]
    assert [c.name for c in reference.companies(ctx)] == ["红星物业"]
