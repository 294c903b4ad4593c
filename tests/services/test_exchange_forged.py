"""Forged exchange files, made the way an attacker would, are refused whole; honest files round-trip.

An attacker unzips a real file, edits its JSON, recomputes every checksum and
zips it again; where the attack is a room forging in its own name (or taking
another room's), the file is re-signed with that room's own key, which lives
on the room's PC. The county is the ``ctx`` register (SQLite and PostgreSQL);
each room is a register of its own with its own key. "Nothing merged" is
every table's row count and checksum, the same before and after.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_forgery import Edit, forge, signing_key_of
from service_helpers import TODAY, add_estate, audit_since, last_audit_id, person, register_case
from sqlalchemy import select

from wuye_desktop.errors import DomainError
from wuye_desktop.models import AuditEvent, Base, Committee, Estate, MediationCase, Party, Role
from wuye_desktop.services import demo, exchange, settings
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.exchange._package import DamagedFileError
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.services.server.migration import digest
from wuye_desktop.storage import keys

Room = Callable[..., Context]


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    """A room's own register on its own PC: room(name, short_name, demo_cases)."""
    opened = []

    def make(name: str = "room", short: str = "幸福里", cases: int = 0) -> Context:
        db = open_register(data_dir=str(tmp_path / name))
        opened.append(db)
        admin = Context(db, User("管理员"), today_override=TODAY)
        with db.writing() as session:
            committee = session.scalar(select(Committee).order_by(Committee.id))
            assert committee is not None
            committee.name, committee.short_name = f"黄石港街道{short}社区人民调解委员会", short
        if cases:
            demo.generate(admin, cases, seed=8)
        return Context(db, User("何静", Role.CLERK), today_override=TODAY)

    yield make
    for db in opened:
        db.dispose()


def state(ctx: Context) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table but the audit trail: what "nothing merged" means."""
    with ctx.db.reading() as session:
        return {t.name: digest(session, t) for t in Base.metadata.sorted_tables if t.name != "audit_event"}


def own_key(room_ctx: Context) -> Ed25519PrivateKey:
    """The room's private signing key, as it sits on the room's own PC."""
    with room_ctx.db.reading() as session:
        return signing_key_of(settings.register_uid(session))


def export(room_ctx: Context, out: Path) -> Path:
    return exchange.export_period(room_ctx, "2026-11", out).path


def first_import(county: Context, room_ctx: Context, out: Path) -> Path:
    """The room's first file, imported once its fingerprint was read out and confirmed."""
    path = export(room_ctx, out)
    exchange.import_files(county, [path], fingerprints=[exchange.signing_fingerprint(room_ctx)])
    return path


def case_of(ctx: Context, uid: str) -> tuple[str, str, int]:
    """(summary, committee, people) of the case with that uid in ``ctx``'s register."""
    with ctx.db.reading() as session:
        case = session.scalar(select(MediationCase).where(MediationCase.uid == uid))
        assert case is not None
        return case.summary, case.committee.name, case.people_count


def refused(county: Context, path: Path, error: type[DomainError] = DomainError, **trust: Any) -> str:
    """Import ``path``; it must be refused with nothing merged. Returns the message."""
    before = state(county)
    with pytest.raises(error) as caught:
        exchange.import_files(county, [path], **trust)
    assert state(county) == before
    message = caught.value.message
    assert path.name in message and "\n" not in message
    return message


# -- the honest round trip -------------------------------------------------------------------


def test_a_room_exports_the_county_pins_it_imports_twice_and_a_later_export_merges(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room(cases=30)
    path = export(a, tmp_path / "a.wyx")
    fingerprint = exchange.signing_fingerprint(a)
    assert len(fingerprint.split()) == 6 and all(len(g) == 4 for g in fingerprint.split())
    assert exchange.verify(path).fingerprint == fingerprint

    [check] = exchange.rooms_to_confirm(ctx, [path])
    assert (check.room, check.fingerprint, check.pinned) == ("黄石港街道幸福里社区人民调解委员会", fingerprint, None)
    message = refused(ctx, path, exchange.RoomKeyError)
    assert "尚未登记" in message and fingerprint in message

    start = last_audit_id(ctx)
    typed = fingerprint.replace(" ", "-").lower()  # as a clerk might type what the room read out
    report = exchange.import_files(ctx, [path], fingerprints=[typed])
    assert report.files[0].counts.cases_new == len(exchange.verify(path).tables["mediation_case"]) > 0
    assert exchange.pinned_rooms(ctx) == [("黄石港街道幸福里社区人民调解委员会", fingerprint)]
    assert exchange.rooms_to_confirm(ctx, [path]) == []
    assert [a[1] for a in audit_since(ctx, start)] == ["exchange_trust_room", "exchange_import"]

    before = state(ctx)
    again = exchange.import_files(ctx, [path])
    assert again.changed == 0 and state(ctx) == before

    first = exchange.verify(path).tables["mediation_case"][0]["uid"]
    with a.db.writing() as session:
        case = session.scalar(select(MediationCase).where(MediationCase.uid == first))
        assert case is not None
        case.summary = "楼道堆放杂物（已清理）"
    later = exchange.import_files(ctx, [export(a, tmp_path / "later.wyx")])
    assert later.files[0].counts.cases_updated == 1
    assert case_of(ctx, first)[0] == "楼道堆放杂物（已清理）"


def test_trust_new_rooms_pins_every_new_room_of_the_batch(ctx: Context, room: Room, tmp_path: Path) -> None:
    a, b = room("a", "幸福里"), room("b", "桂林")
    register_case(a, "甲室案件")
    register_case(b, "乙室案件")
    files = [export(a, tmp_path / "a.wyx"), export(b, tmp_path / "b.wyx")]
    assert len(exchange.rooms_to_confirm(ctx, files)) == 2
    exchange.import_files(ctx, files, trust_new_rooms=True)
    assert sorted(fp for _n, fp in exchange.pinned_rooms(ctx)) == sorted(
        exchange.signing_fingerprint(r) for r in (a, b))


def test_a_first_import_without_trust_or_with_the_wrong_fingerprint_is_refused(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "电梯长期故障")
    path = export(a, tmp_path / "a.wyx")
    assert "尚未登记" in refused(ctx, path, exchange.RoomKeyError)
    wrong = refused(ctx, path, exchange.RoomKeyError, fingerprints=["0000 0000 0000 0000 0000 0000"])
    assert "不符" in wrong and exchange.signing_fingerprint(a) in wrong
    assert exchange.pinned_rooms(ctx) == []


def test_a_room_with_a_new_key_is_trusted_again_only_with_its_new_fingerprint(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "物业费争议")
    first_import(ctx, a, tmp_path / "a.wyx")
    old = exchange.signing_fingerprint(a)
    with a.db.reading() as session:  # the room's PC was replaced: its register restored, its key not
        keys.store(settings.register_uid(session), "exchange-signing-key", secrets.token_bytes(32))
    new = exchange.signing_fingerprint(a)
    path = export(a, tmp_path / "new-pc.wyx")
    message = refused(ctx, path, exchange.RoomKeyError, trust_new_rooms=True)
    assert old in message and new in message

    start = last_audit_id(ctx)
    exchange.import_files(ctx, [path], fingerprints=[new])
    assert exchange.pinned_rooms(ctx) == [("黄石港街道幸福里社区人民调解委员会", new)]
    with ctx.db.reading() as session:
        [detail] = session.scalars(select(AuditEvent.detail).where(
            AuditEvent.id > start, AuditEvent.action == "exchange_trust_room"))
    assert json.loads(detail)["old_fingerprint"] == old


# -- forged files ----------------------------------------------------------------------------


def test_a_figure_changed_with_the_checksums_recomputed_fails_its_signature(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "物业费争议")
    good = first_import(ctx, a, tmp_path / "a.wyx")
    [row] = exchange.verify(good).tables["mediation_case"]

    def more_people(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        tables["mediation_case"][0]["people_count"] = 999

    forged = forge(good, tmp_path / "forged.wyx", more_people)
    assert "签名与内容不符" in refused(ctx, forged, DamagedFileError)
    assert case_of(ctx, row["uid"])[2] == row["people_count"] != 999


def test_an_unsigned_file_of_the_earlier_program_is_refused_saying_so(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "物业费争议")
    good = export(a, tmp_path / "a.wyx")
    old = tmp_path / "old.wyx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(old, "w") as out:
        for name in source.namelist():
            if name == "manifest.json":
                manifest = json.loads(source.read(name))
                del manifest["public_key"]
                out.writestr(name, json.dumps(dict(manifest, format_version=1), ensure_ascii=False))
            elif name != "manifest.sig":
                out.writestr(name, source.read(name))
        out.comment = b"WUYE-SHA256:" + b"0" * 64
    raw = old.read_bytes()
    old.write_bytes(raw[:-64] + hashlib.sha256(raw[:-64]).hexdigest().encode("ascii"))
    assert "没有签名" in refused(ctx, old, DamagedFileError, trust_new_rooms=True)


def test_a_file_re_signed_with_another_key_for_a_pinned_room_is_refused_naming_both(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "物业费争议")
    good = first_import(ctx, a, tmp_path / "a.wyx")
    attacker = Ed25519PrivateKey.generate()

    def rewrite(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        tables["mediation_case"][0]["summary"] = "被改写的案情"

    forged = forge(good, tmp_path / "forged.wyx", rewrite, sign_with=attacker)
    theirs = exchange.verify(forged).fingerprint
    for trust in ({}, {"trust_new_rooms": True}):
        message = refused(ctx, forged, exchange.RoomKeyError, **trust)
        assert "黄石港街道幸福里社区人民调解委员会" in message
        assert exchange.signing_fingerprint(a) in message and theirs in message
    [check] = exchange.rooms_to_confirm(ctx, [forged])
    assert (check.fingerprint, check.pinned) == (theirs, exchange.signing_fingerprint(a))
    assert case_of(ctx, exchange.verify(good).tables["mediation_case"][0]["uid"])[0] == "物业费争议"


def test_room_b_carrying_room_a_s_case_uid_is_refused_and_a_s_case_stays(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a, b = room("a", "幸福里"), room("b", "桂林")
    register_case(a, "甲室的案件")
    register_case(b, "乙室的案件")
    a_file = first_import(ctx, a, tmp_path / "a.wyx")
    b_file = first_import(ctx, b, tmp_path / "b.wyx")
    a_case = exchange.verify(a_file).tables["mediation_case"][0]["uid"]
    b_case = exchange.verify(b_file).tables["mediation_case"][0]["uid"]

    def take_a_s_case(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        tables["mediation_case"][0].update(uid=a_case, summary="乙室改写的案情")
        for found in tables.values():
            for row in found:
                if row.get("case_id") == b_case:
                    row["case_id"] = a_case

    forged = forge(b_file, tmp_path / "forged.wyx", take_a_s_case, sign_with=own_key(b))
    message = refused(ctx, forged)
    assert "案件" in message and "黄石港街道幸福里社区人民调解委员会" in message
    assert case_of(ctx, a_case)[:2] == ("甲室的案件", "黄石港街道幸福里社区人民调解委员会")


def test_room_b_carrying_room_a_s_party_or_estate_is_refused(ctx: Context, room: Room, tmp_path: Path) -> None:
    a, b = room("a", "幸福里"), room("b", "桂林")
    register_case(a, "甲室的案件", estate_id=add_estate(a, "幸福里小区", "红星物业", 11).estate_id,
                  parties=[person("欧阳娜娜")])
    register_case(b, "乙室的案件", estate_id=add_estate(b, "桂林小区", "蓝天物业", 12).estate_id,
                  parties=[person("王建国")])
    a_file = first_import(ctx, a, tmp_path / "a.wyx")
    b_file = first_import(ctx, b, tmp_path / "b.wyx")
    a_tables = exchange.verify(a_file).tables
    a_party = next(r for r in a_tables["party"] if r["name"].startswith("欧"))
    a_estate = next(r for r in a_tables["estate"] if r["name"] == "幸福里小区")

    def take_party(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        mine = next(r for r in tables["party"] if r["name"].startswith("王"))
        for link in tables["case_party"]:
            if link["party_id"] == mine["uid"]:
                link["party_id"] = a_party["uid"]
        mine.update(uid=a_party["uid"], name="乙室改写的姓名")

    def take_estate(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        mine = next(r for r in tables["estate"] if r["name"] == "桂林小区")
        tables["estate"].append(dict(mine, uid=a_estate["uid"], name="乙室改名的小区"))

    assert "当事人" in refused(ctx, forge(b_file, tmp_path / "party.wyx", take_party, sign_with=own_key(b)))
    assert "小区" in refused(ctx, forge(b_file, tmp_path / "estate.wyx", take_estate, sign_with=own_key(b)))
    with ctx.db.reading() as session:
        assert session.scalar(select(Party.name).where(Party.uid == a_party["uid"])) == a_party["name"]
        assert session.scalar(select(Estate.name).where(Estate.uid == a_estate["uid"])) == "幸福里小区"


def test_a_room_renames_its_own_estate_but_never_the_county_s(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    county_place = add_estate(ctx, "县中心小区", "县物业", 21)
    with ctx.db.reading() as session:
        county_uid = session.get_one(Estate, county_place.estate_id).uid
    place = add_estate(a, "幸福里小区", "红星物业", 11)
    register_case(a, "甲室的案件", estate_id=place.estate_id)
    good = export(a, tmp_path / "a.wyx")

    def rename_county_estate(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        mine = next(r for r in tables["estate"] if r["name"] == "幸福里小区")
        tables["estate"].append(dict(mine, uid=county_uid, name="被改名的小区"))

    forged = forge(good, tmp_path / "forged.wyx", rename_county_estate, sign_with=own_key(a))
    exchange.import_files(ctx, [forged], fingerprints=[exchange.signing_fingerprint(a)])  # even at its first import
    with a.db.writing() as session:
        session.get_one(Estate, place.estate_id).name = "幸福里小区（东区）"
    exchange.import_files(ctx, [export(a, tmp_path / "renamed.wyx")])
    with ctx.db.reading() as session:
        assert set(session.scalars(select(Estate.name))) == {"县中心小区", "幸福里小区（东区）"}


def _set(table: str, field: str, value: Any) -> Edit:
    def edit(_manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> None:
        tables[table][0][field] = value
    return edit


def test_times_after_the_file_was_made_are_refused_and_later_exports_still_merge(
        ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "原来的案情")
    good = first_import(ctx, a, tmp_path / "a.wyx")
    uid = exchange.verify(good).tables["mediation_case"][0]["uid"]
    far = "9999-12-31T00:00:00.000000"

    def made_in_9999(manifest: dict[str, Any], _tables: dict[str, list[dict[str, Any]]]) -> None:
        manifest["created_at"] = far

    in_9999 = forge(good, tmp_path / "made-9999.wyx", made_in_9999, sign_with=own_key(a))
    assert "导出时间 9999-12-31" in refused(ctx, in_9999, DamagedFileError)
    for field in ("created_at", "updated_at"):
        forged = forge(good, tmp_path / f"{field}-9999.wyx", _set("mediation_case", field, far), sign_with=own_key(a))
        message = refused(ctx, forged, DamagedFileError)
        assert "mediation_case" in message and field in message and "晚于文件的导出时间" in message

    with a.db.writing() as session:
        case = session.scalar(select(MediationCase).where(MediationCase.uid == uid))
        assert case is not None
        case.summary = "后来的案情"
    exchange.import_files(ctx, [export(a, tmp_path / "later.wyx")])
    assert case_of(ctx, uid)[0] == "后来的案情"


TEN_MB = "漏" * 10_000_000


@pytest.mark.parametrize(("table", "field", "value", "why"), [
    ("mediation_case", "version", "NaN", "应为整数"),
    ("mediation_case", "seq", 10**30, "超出允许的范围"),
    ("mediation_case", "facts", TEN_MB, "过长"),
    ("mediation_case", "status", "settled_by_bribe", "不是本程序认识的取值"),
    ("mediation_case", "registered_on", "2026-02-30", "不是有效的日期"),
    ("mediation_case", "amount", "NaN", "不是有效的金额"),
    ("mediation_case", "prevented_suicide", "yes", "应为 true 或 false"),
    ("mediation_case", "summary", None, "不能为空"),
    ("case_party", "role", 1, "不是本程序认识的取值"),
    ("mediation_case", "uid", "", "不能为空"),
], ids=["version-NaN", "seq-10e30", "facts-10MB", "status-unknown", "date-Feb-30", "amount-NaN", "bool-yes",
        "summary-null", "role-number", "uid-empty"])
def test_a_wrong_value_is_refused_naming_file_table_and_field(
        ctx: Context, room: Room, tmp_path: Path, table: str, field: str, value: Any, why: str) -> None:
    a = room()
    register_case(a, "楼上漏水")
    good = first_import(ctx, a, tmp_path / "a.wyx")
    forged = forge(good, tmp_path / "forged.wyx", _set(table, field, value), sign_with=own_key(a))
    message = refused(ctx, forged, DamagedFileError)
    assert f"（{table}）第 1 行的字段 {field}" in message and why in message
    assert len(message) < 300  # the 10 MB string is not quoted back


def test_a_nan_token_and_an_unknown_field_are_refused(ctx: Context, room: Room, tmp_path: Path) -> None:
    a = room()
    register_case(a, "楼上漏水")
    good = first_import(ctx, a, tmp_path / "a.wyx")
    nan = forge(good, tmp_path / "nan.wyx", _set("mediation_case", "people_count", float("nan")),
                sign_with=own_key(a))
    assert "people_count" in refused(ctx, nan, DamagedFileError)
    extra = forge(good, tmp_path / "extra.wyx", _set("mediation_case", "committee_override", "x"),
                  sign_with=own_key(a))
    assert "committee_override" in refused(ctx, extra, DamagedFileError)
