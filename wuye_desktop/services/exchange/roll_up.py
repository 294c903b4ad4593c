"""The offline roll-up: a room exports a period to one file, the county imports the files of its rooms.

``export_period`` writes the room's cases of a month, quarter or year (with
their parties, steps, records, agreements, visits and history) into one
exchange file, personal data masked or removed as the setting says.
``import_files`` checks every file completely before anything is written,
then merges them all in one transaction: a damaged or changed file is
refused with its name and nothing is merged.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wuye_desktop import __version__
from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models import AuditEvent
from wuye_desktop.services import audit, outputs, settings
from wuye_desktop.services.cases.registration import default_committee
from wuye_desktop.services.context import Context
from wuye_desktop.services.exchange import _package as exchange_pack
from wuye_desktop.services.exchange import rows
from wuye_desktop.services.exchange._merge import MergeCounts, Merger
from wuye_desktop.services.exchange._package import DamagedFileError, Package
from wuye_desktop.services.exchange.privacy import MODES, Scrubber
from wuye_desktop.services.permissions import Permission, requires

IMPORT_ACTION = "exchange_import"
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
    if not tables["mediation_case"]:
        raise DomainError(f"{chosen.title}没有需要报送的案件，没有生成文件。")
    manifest = {
        "committee": committee_info,
        "period": {"label": chosen.label, "start": chosen.start.isoformat(), "end": chosen.end.isoformat()},
        "program_version": __version__, "schema_revision": migrate.head_revision(),
        "personal": mode, "created_at": datetime.now().isoformat(timespec="microseconds"),
    }
    try:
        digest = exchange_pack.write(target, manifest, tables)
    except OSError as exc:
        raise DomainError(
            f"无法写入文件“{target}”：{exc.strerror or exc}。请检查U盘是否插好、是否有写入权限。") from exc
    counts = {name: len(found) for name, found in tables.items()}
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "exchange_export", "committee", committee_info["uid"],
                     {"period": chosen.label, "personal": mode, "file": target.name, "sha256": digest,
                      "cases": counts["mediation_case"], "parties": counts["party"]})
    return ExportReport(target, committee_info["name"], chosen, mode, counts, digest)


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
        return out


def verify(path: str | Path) -> Package:
    """Check one file completely (zip, checksums, manifest, schema, every row) without a database."""
    from wuye_desktop.storage import migrate

    package = exchange_pack.read(Path(path))
    name = package.path.name
    manifest = package.manifest
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not migrate.is_known(revision):
        raise DamagedFileError(
            f"文件“{name}”由更新版本的程序导出（数据库版本 {revision}），当前程序无法导入。请先升级本程序。")
    committee = manifest.get("committee")
    if not isinstance(committee, dict) or not all(isinstance(committee.get(k), str) and committee.get(k)
                                                  for k in ("uid", "name", "short_name")):
        raise DamagedFileError(f"文件“{name}”的清单缺少调委会信息，不是完整的数据交换文件。")
    unknown = set(package.tables) - rows.TABLE_NAMES
    missing = {t.name for t in rows.ALL_TABLES} - set(package.tables)
    if unknown or missing:
        raise DamagedFileError(f"文件“{name}”的数据表与本程序不一致，没有导入任何数据。")
    try:
        loaded = {t.name: [rows.load(t, r) for r in package.tables[t.name]] for t in rows.ALL_TABLES}
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise DamagedFileError(f"文件“{name}”中的数据格式不正确（{exc}），没有导入任何数据。") from exc
    if [r["uid"] for r in loaded["committee"]] != [committee["uid"]]:
        raise DamagedFileError(f"文件“{name}”的调委会与清单不一致，没有导入任何数据。")
    return Package(package.path, manifest, loaded, package.sha256)


@requires(Permission.IMPORT)
def import_files(ctx: Context, paths: list[str] | list[Path]) -> ImportReport:
    """Verify every file, then merge them all in one transaction (oldest export first)."""
    if not paths:
        raise ValidationError.single("paths", "请选择要导入的数据交换文件")
    packages = sorted((verify(p) for p in paths), key=lambda p: str(p.manifest.get("created_at", "")))
    report = ImportReport()
    with ctx.db.writing() as session:
        own = default_committee(session).uid
        newest = _newest_imports(session)
        for package in packages:
            info = package.manifest["committee"]
            if info["uid"] == own:
                raise DomainError(f"文件“{package.path.name}”是本台账自己导出的，不能再导入本台账。")
            created = str(package.manifest.get("created_at", ""))
            authoritative = created >= newest.get(info["uid"], "")
            newest[info["uid"]] = max(created, newest.get(info["uid"], ""))
            try:
                counts = Merger(session, package.path.name, authoritative).merge(package.tables)
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


def _newest_imports(session: Session) -> dict[str, str]:
    """When the newest export of each room already merged here was made, from the import entries of the audit trail."""
    newest: dict[str, str] = {}
    for detail in session.scalars(select(AuditEvent.detail).where(AuditEvent.action == IMPORT_ACTION)):
        for entry in json.loads(detail).get("files", []):
            uid, created = entry.get("committee_uid"), entry.get("created_at")
            if isinstance(uid, str) and isinstance(created, str):
                newest[uid] = max(created, newest.get(uid, ""))
    return newest


def _period_title(label: str) -> str:
    try:
        return parse_period(label).title
    except ValidationError:
        return label
