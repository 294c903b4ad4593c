"""The offline roll-up: a room exports a period to one file, the county imports the files of its rooms.

``export_period`` writes the room's cases of a month, quarter or year (with
their parties, steps, records, agreements, visits and history) into one
exchange file, personal data masked or removed as the setting says.
``import_files`` checks every file completely before anything is written,
then merges them all in one transaction: a damaged or changed file is
refused with its name and nothing is merged.

Every file is signed with its room's key (``_signing``). The county pins a
room's public key at its first import, once someone has compared the key's
fingerprint with what the room reads out from its own 数据交换 page; a later
file of that room signed by another key is refused. A room's file may only
create or change the records of its own committee (``_merge``).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wuye_desktop import __version__
from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models import AuditEvent, Committee, RoomKey
from wuye_desktop.services import audit, outputs, settings
from wuye_desktop.services.cases.registration import default_committee
from wuye_desktop.services.context import Context
from wuye_desktop.services.exchange import _package as exchange_pack
from wuye_desktop.services.exchange import _signing, rows
from wuye_desktop.services.exchange._merge import MergeCounts, Merger
from wuye_desktop.services.exchange._package import DamagedFileError, Package
from wuye_desktop.services.exchange.privacy import MODES, Scrubber
from wuye_desktop.services.permissions import Permission, requires

IMPORT_ACTION = "exchange_import"
TRUST_ACTION = "exchange_trust_room"
SUFFIX = outputs.EXCHANGE_FILE.suffix  # 物业 exchange: the name an exchange file must end with
_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*)(\d{1,2})\s*月?")
_QUARTER = re.compile(r"(\d{4})\s*(?:[-年]?\s*)(?:[Qq]|第)\s*([1-4])\s*(?:季度?)?")
_YEAR = re.compile(r"(\d{4})\s*年?(?:度|全年)?")


@dataclass(frozen=True)
class Period:
    label: str  # 2026-10, 2026Q4, 2026
    start: date
    end: date

    @property
    def title(self) -> str:
        """How the period reads in Chinese: 2026年10月, 2026年第4季度, 2026年."""
        if "Q" in self.label:
            return f"{self.start.year}年第{self.label[-1]}季度"
        if "-" in self.label:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年"


def parse_period(text: str) -> Period:
    """2026-10 (a month), 2026Q4 (a quarter) or 2026 (a year); Chinese spellings accepted too."""
    hint = "请写作 2026-10（月份）、2026Q4（季度）或 2026（全年）"
    try:
        return _parse_period(text, hint)
    except ValueError:  # year 0000
        raise ValidationError.single("period", f"报送期间“{text.strip()}”不存在，{hint}") from None


def _parse_period(text: str, hint: str) -> Period:
    raw = text.strip().replace("\u3000", " ")
    if match := _QUARTER.fullmatch(raw):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        return Period(f"{year}Q{quarter}", date(year, first, 1),
                      date(year, first + 2, calendar.monthrange(year, first + 2)[1]))
    if match := _MONTH.fullmatch(raw):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValidationError.single("period", f"报送期间“{text}”中的月份应为1至12，{hint}")
        return Period(f"{year}-{month:02d}", date(year, month, 1),
                      date(year, month, calendar.monthrange(year, month)[1]))
    if match := _YEAR.fullmatch(raw):
        year = int(match[1])
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    raise ValidationError.single("period", f"报送期间“{text}”无法识别，{hint}")


# -- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportReport:
    path: Path
    committee: str
    period: Period
    personal: str  # mask / remove
    counts: dict[str, int]
    sha256: str
    fingerprint: str  # of the key that signed it, as the county will see it

    @property
    def cases(self) -> int:
        return self.counts.get("mediation_case", 0)


@requires(Permission.EXPORT)
def export_period(ctx: Context, period: str | Period, out: str | Path,
                  personal: str | None = None, *, replace: bool = False) -> ExportReport:
    """Write the room's cases of ``period`` to ``out``; ``personal`` overrides the setting (mask/remove).

    ``replace``: the user agreed to replace a file already there (never the register, see ``outputs``).
    """
    from wuye_desktop.services.exchange._collect import cases_in_period, collect
    from wuye_desktop.storage import migrate

    chosen = period if isinstance(period, Period) else parse_period(period)
    if chosen.start > ctx.today():
        raise ValidationError.single("period", f"{chosen.title}还没有开始，没有可报送的数据")
    if Path(out).is_dir():
        raise ValidationError.single(
            "out", f"“{out}”是一个文件夹，请给出要保存的文件名，例如 {chosen.label}{SUFFIX}")
    target = outputs.check(ctx, out, outputs.EXCHANGE_FILE, replace=replace)
    with ctx.db.reading() as session:
        if chosen.end < settings.earliest_day(session):
            raise ValidationError.single("period", f"{chosen.title}早于台账可登记的最早日期，没有可报送的数据")
        mode = personal or settings.read(session, settings.EXCHANGE_PERSONAL)
        if mode not in MODES:
            raise ValidationError.single("personal", "个人信息处理方式只能是“打码”（mask）或“删除”（remove）")
        committee = default_committee(session)
        tables = collect(session, committee, cases_in_period(committee.id, chosen.start, chosen.end),
                         Scrubber(mode, ctx.today()))
        committee_info = {"uid": committee.uid, "name": committee.name, "short_name": committee.short_name}
        register = settings.register_uid(session)
    if not tables["mediation_case"]:
        raise DomainError(f"{chosen.title}没有需要报送的案件，没有生成文件。")
    manifest = {
        "committee": committee_info,
        "period": {"label": chosen.label, "start": chosen.start.isoformat(), "end": chosen.end.isoformat()},
        "program_version": __version__, "schema_revision": migrate.head_revision(),
        "personal": mode, "created_at": datetime.now().isoformat(timespec="microseconds"),
    }
    key = _signing.signing_key(register)
    try:
        digest = exchange_pack.write(target, manifest, tables, key)
    except OSError as exc:
        raise DomainError(
            f"无法写入文件“{target}”：{exc.strerror or exc}。请检查U盘是否插好、是否有写入权限。") from exc
    counts = {name: len(found) for name, found in tables.items()}
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "exchange_export", "committee", committee_info["uid"],
                     {"period": chosen.label, "personal": mode, "file": target.name, "sha256": digest,
                      "cases": counts["mediation_case"], "parties": counts["party"]})
    return ExportReport(target, committee_info["name"], chosen, mode, counts, digest,
                        _signing.fingerprint(_signing.public_hex(key)))


def signing_fingerprint(ctx: Context) -> str:
    """The fingerprint of the key this register signs its exchange files with, for the county to compare."""
    with ctx.db.reading() as session:
        register = settings.register_uid(session)
    return _signing.fingerprint(_signing.public_hex(_signing.signing_key(register)))


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    path: Path
    committee: str
    committee_uid: str
    period: str
    created_at: str
    cases_in_file: int
    counts: MergeCounts


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    new_rooms: list[RoomCheck] = field(default_factory=list)  # rooms whose key this import pinned, first seen here

    @property
    def changed(self) -> int:
        return sum(f.counts.rows_changed for f in self.files)

    def lines(self) -> list[str]:
        """One line per file, for the command line and the report dialog."""
        out = []
        for f in self.files:
            c = f.counts
            detail = f"新增 {c.cases_new} 件，更新 {c.cases_updated} 件，无变化 {c.cases_unchanged} 件"
            if c.cases_older:
                detail += f"，{c.cases_older} 件本台账已有更新的版本、保留未动"
            out.append(f"{f.path.name}：{f.committee} {f.period}，共 {f.cases_in_file} 件案件；{detail}")
        for room in self.new_rooms:
            out.append(f"首次导入调解室“{room.room}”的文件，已登记其签名指纹 {room.fingerprint}："
                       "请与该调解室导出时显示的指纹核对；以后它的文件必须用同一密钥签名。")
        return out


def verify(path: str | Path) -> Package:
    """Check one file completely (zip, checksums, signature, manifest, schema, every value) without a database.

    Whether the key that signed it is the room's is for ``import_files`` to say.
    """
    from wuye_desktop.storage import migrate

    package = exchange_pack.read(Path(path))
    name = package.path.name
    manifest = package.manifest
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not migrate.is_known(revision):
        raise DamagedFileError(
            f"文件“{name}”由更新版本的程序导出（数据库版本 {str(revision)[:20]}），当前程序无法导入。请先升级本程序。")
    committee = manifest.get("committee")
    if not isinstance(committee, dict) or not all(
            isinstance(committee.get(k), str) and 0 < len(committee[k]) <= limit
            for k, limit in (("uid", 32), ("name", 100), ("short_name", 20))):
        raise DamagedFileError(f"文件“{name}”的清单缺少调委会信息，不是完整的数据交换文件。")
    created = _created_at(name, manifest)
    period = manifest.get("period")
    if not isinstance(period, dict) or not isinstance(period.get("label"), str) or len(period["label"]) > 20 \
            or manifest.get("personal") not in MODES:
        raise DamagedFileError(f"文件“{name}”的清单不完整（报送期间或个人信息处理方式），没有导入任何数据。")
    unknown = set(package.tables) - rows.TABLE_NAMES
    missing = {t.name for t in rows.ALL_TABLES} - set(package.tables)
    if unknown or missing:
        raise DamagedFileError(f"文件“{name}”的数据表与本程序不一致，没有导入任何数据。")
    bounds = rows.Bounds.of_file(created)
    try:
        loaded = {t.name: [rows.load(t, r, i, bounds) for i, r in enumerate(package.tables[t.name], 1)]
                  for t in rows.ALL_TABLES}
    except rows.FieldError as refused:
        raise DamagedFileError(refused.message(name)) from None
    if [r["uid"] for r in loaded["committee"]] != [committee["uid"]]:
        raise DamagedFileError(f"文件“{name}”的调委会与清单不一致，没有导入任何数据。")
    _refuse_other_committees(name, committee["uid"], loaded)
    return Package(package.path, dict(manifest, created_at=created.isoformat(timespec="microseconds")),
                   loaded, package.sha256)


def _created_at(name: str, manifest: dict[str, object]) -> datetime:
    """When the file was made: a real time, not ahead of this computer's clock (beyond a day's allowance)."""
    raw = manifest.get("created_at")
    try:
        created = datetime.fromisoformat(raw) if isinstance(raw, str) and len(raw) <= 40 else None
    except ValueError:
        created = None
    if created is None or created.tzinfo is not None or created < rows.EARLIEST:
        raise DamagedFileError(f"文件“{name}”的清单中导出时间无效，没有导入任何数据。")
    if created > datetime.now() + rows.CLOCK_ALLOWANCE:
        raise DamagedFileError(
            f"文件“{name}”的导出时间 {created:%Y-%m-%d %H:%M} 晚于本机当前时间，文件不可信，没有导入任何数据。"
            "请核对调解室电脑的日期后重新导出。")
    return created


def _refuse_other_committees(name: str, committee_uid: str, tables: dict[str, list[dict[str, object]]]) -> None:
    """Every case of the file is the declared committee's, and every row of a case belongs to a case in the file."""
    cases = {str(r["uid"]) for r in tables["mediation_case"]}
    for row in tables["mediation_case"]:
        if row["committee_id"] != committee_uid:
            raise DamagedFileError(
                f"文件“{name}”中的案件 {row['number']} 不属于报送的调委会，没有导入任何数据。")
    agreements = {str(r["uid"]) for r in tables["agreement"]}
    for table in (*rows.CHILD_TABLES, rows.EVENT_TABLE):
        key, owners = ("agreement_id", agreements) if table.name == "agreement_clause" else ("case_id", cases)
        for index, row in enumerate(tables[table.name], 1):
            if row[key] not in owners:
                raise DamagedFileError(
                    f"文件“{name}”中{rows.LABELS[table.name]}（{table.name}）第 {index} 行所属的"
                    f"{'协议' if key == 'agreement_id' else '案件'}不在文件中，没有导入任何数据。")


@dataclass(frozen=True)
class RoomCheck:
    """A file whose signing key this register has not pinned for its room: new, or not the pinned one."""

    file: str
    room: str
    committee_uid: str
    fingerprint: str
    pinned: str | None  # the fingerprint pinned for the room, None when the room is new here


class RoomKeyError(DomainError):
    """A file signed by a key not (yet) pinned for its room; ``check`` says which file, room and fingerprints."""

    def __init__(self, check: RoomCheck, given: frozenset[str]) -> None:
        self.check = check
        file, room, found = check.file, check.room, check.fingerprint
        if check.pinned is not None:
            message = (f"文件“{file}”不是用调解室“{room}”登记的签名密钥签名的：登记的指纹 {check.pinned}，"
                       f"文件的指纹 {found}。文件可能被伪造，没有导入任何数据；如该调解室确实更换了电脑或重建了台账，"
                       "请与其电话核对新指纹后再导入。")
        elif given:
            message = (f"文件“{file}”的签名指纹 {found} 与给出的指纹不符（调解室“{room}”尚未登记），"
                       "没有导入任何数据。请与该调解室重新核对其“数据交换”页面上显示的签名指纹。")
        else:
            message = (f"文件“{file}”来自尚未登记的调解室“{room}”（签名指纹 {found}），没有导入任何数据。"
                       "请与该调解室核对其“数据交换”页面上显示的签名指纹，一致后再确认导入。")
        super().__init__(message)


@requires(Permission.IMPORT)
def rooms_to_confirm(ctx: Context, paths: list[str] | list[Path]) -> list[RoomCheck]:
    """Check every file; the rooms whose key is new here or differs from the pinned one, one entry per room and key."""
    packages = [verify(p) for p in paths]
    found: dict[tuple[str, str], RoomCheck] = {}
    with ctx.db.reading() as session:
        own = default_committee(session).uid  # its own files are refused by the import, not asked about
        pins = {pin.committee_uid: pin for pin in session.scalars(select(RoomKey))}
        for package in packages:
            info = package.manifest["committee"]
            pin = pins.get(info["uid"])
            if info["uid"] != own and (pin is None or pin.public_key != package.public_key):
                found.setdefault((info["uid"], package.public_key), RoomCheck(
                    package.path.name, info["name"], info["uid"], package.fingerprint,
                    None if pin is None else pin.fingerprint))
    return list(found.values())


@requires(Permission.IMPORT)
def import_files(ctx: Context, paths: list[str] | list[Path], *, trust_new_rooms: bool = False,
                 fingerprints: Iterable[str] = ()) -> ImportReport:
    """Verify every file, then merge them all in one transaction (oldest export first).

    A room seen here for the first time is trusted (its key pinned) only with ``trust_new_rooms`` or
    when its key's fingerprint is among ``fingerprints`` (as confirmed with the room); a room pinned
    with another key is trusted with its new key only when that key's fingerprint is given.
    """
    if not paths:
        raise ValidationError.single("paths", "请选择要导入的数据交换文件")
    confirmed = frozenset(_signing.compact(f) for f in fingerprints)
    packages = sorted((verify(p) for p in paths), key=lambda p: str(p.manifest["created_at"]))
    report = ImportReport()
    with ctx.db.writing() as session:
        own = default_committee(session).uid
        newest = _newest_imports(session)
        for package in packages:
            info = package.manifest["committee"]
            if info["uid"] == own:
                raise DomainError(f"文件“{package.path.name}”是本台账自己导出的，不能再导入本台账。")
            if (pinned := _trust(session, ctx, package, trust_new_rooms, confirmed)) is not None:
                report.new_rooms.append(pinned)
            created = str(package.manifest["created_at"])
            authoritative = created >= newest.get(info["uid"], "")
            newest[info["uid"]] = max(created, newest.get(info["uid"], ""))
            try:
                counts = Merger(session, package.path.name, authoritative, info["uid"]).merge(package.tables)
            except (KeyError, ValueError) as exc:
                raise DamagedFileError(
                    f"文件“{package.path.name}”中的数据不完整（{exc}），没有导入任何数据。") from exc
            except IntegrityError as exc:
                # e.g. a place renamed in the room to a name another room's place already has here
                raise DomainError(
                    f"文件“{package.path.name}”中的数据与本台账已有的记录冲突，没有导入任何数据。"
                    f"请联系技术支持（{exc.orig}）。") from exc
            period = package.manifest.get("period") or {}
            report.files.append(FileResult(
                package.path, info["name"], info["uid"], _period_title(str(period.get("label", ""))),
                created, len(package.tables["mediation_case"]), counts))
        if report.changed:
            audit.record(session, ctx.actor, IMPORT_ACTION, "register", "",
                         {"files": [{"file": f.path.name, "committee": f.committee, "committee_uid": f.committee_uid,
                                     "period": f.period, "created_at": f.created_at,
                                     "new": f.counts.cases_new, "updated": f.counts.cases_updated}
                                    for f in report.files]})
    return report


def _trust(session: Session, ctx: Context, package: Package, trust_new: bool,
           confirmed: frozenset[str]) -> RoomCheck | None:
    """Refuse a file not signed by its room's pinned key; pin a room's key when told to trust it.

    Returns the room when its key was pinned here for the first time without a confirmed fingerprint.
    """
    info = package.manifest["committee"]
    pin = session.scalar(select(RoomKey).where(RoomKey.committee_uid == info["uid"]))
    if pin is not None and pin.public_key == package.public_key:
        return None
    given = _signing.compact(package.fingerprint) in confirmed
    check = RoomCheck(package.path.name, info["name"], info["uid"], package.fingerprint,
                      None if pin is None else pin.fingerprint)
    if not (given or (pin is None and trust_new)):
        raise RoomKeyError(check, confirmed)
    detail = {"committee": info["name"], "fingerprint": package.fingerprint, "file": package.path.name}
    if pin is None:
        session.add(RoomKey(committee_uid=info["uid"], committee_name=info["name"], public_key=package.public_key,
                            fingerprint=package.fingerprint))
    else:
        detail["old_fingerprint"] = pin.fingerprint
        pin.public_key, pin.fingerprint = package.public_key, package.fingerprint
    audit.record(session, ctx.actor, TRUST_ACTION, "committee", info["uid"], detail)
    session.flush()
    return check if pin is None and not given else None


def pinned_rooms(ctx: Context) -> list[tuple[str, str]]:
    """The rooms whose signing key this register has pinned: (committee, fingerprint), by committee."""
    with ctx.db.reading() as session:
        names = dict(session.execute(select(Committee.uid, Committee.name)).all())
        return sorted((names.get(pin.committee_uid, pin.committee_name), pin.fingerprint)
                      for pin in session.scalars(select(RoomKey)))


def _newest_imports(session: Session) -> dict[str, str]:
    """When the newest export of each room already merged here was made, from the import entries of the audit trail.

    A time ahead of this computer's clock (an entry a forged file left before files were checked) is ignored.
    """
    newest: dict[str, str] = {}
    latest = (datetime.now() + rows.CLOCK_ALLOWANCE).isoformat(timespec="microseconds")
    for detail in session.scalars(select(AuditEvent.detail).where(AuditEvent.action == IMPORT_ACTION)):
        for entry in json.loads(detail).get("files", []):
            uid, created = entry.get("committee_uid"), entry.get("created_at")
            if isinstance(uid, str) and isinstance(created, str) and created <= latest:
                newest[uid] = max(created, newest.get(uid, ""))
    return newest


def _period_title(label: str) -> str:
    try:
        return parse_period(label).title
    except ValidationError:
        return label
