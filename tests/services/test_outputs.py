"""No file the user asks for is ever written over the register or anything the program keeps.

Every writer of a file the user names (the monthly workbook, the 12345 replies, the exchange file, the audit
export, a printed document, a backup folder) goes through ``services/outputs.py``. These tests aim each one at
the register (through a symbolic link, a hard link, ``..``), at the data folder's ``backups/``,
``attachments/`` and ``logs/``, at a name with the wrong ending and at a file already there, on both databases.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from service_helpers import register_case

from wuye_desktop.errors import DomainError, StorageError, ValidationError
from wuye_desktop.services import exchange, outputs, statistics
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter
from wuye_desktop.services.casework import documents
from wuye_desktop.services.context import Context
from wuye_desktop.services.hotline import replies
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register

OCTOBER = statistics.month(2026, 10)
NOVEMBER = statistics.month(2026, 11)
Writer = Callable[[Context, Path, bool], object]


def _documents_save(ctx: Context, path: Path, replace: bool) -> object:
    printed = documents.prepare(ctx, "registration", register_case(ctx).id)
    return documents.save(ctx, printed, path, replace=replace)


def _exchange_export(ctx: Context, path: Path, replace: bool) -> object:
    register_case(ctx)  # a month with a case in it: an empty one is not exported
    return exchange.export_period(ctx, "2026-11", path, replace=replace)


# name -> (the file's ending, how it is written)
WRITERS: dict[str, tuple[str, Writer]] = {
    "monthly workbook": (".xlsx", lambda ctx, p, r: statistics.export_monthly(ctx, OCTOBER, p, replace=r)),
    "12345 replies": (".xlsx", lambda ctx, p, r: replies.export_replies(ctx, OCTOBER, p, replace=r)),
    "exchange file": (exchange.SUFFIX, _exchange_export),
    "audit export": (".xlsx", lambda ctx, p, r: audit_trail.export(ctx, AuditFilter(), p, replace=r)),
    "printed document": (".pdf", lambda ctx, p, r: documents.write_pdf(
        ctx, "registration", register_case(ctx).id, p, replace=r)),
    "document saved from the preview": (".pdf", _documents_save),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_files(data_dir: Path) -> dict[Path, str]:
    """Every file the program keeps in its data folder, with its checksum."""
    return {p: digest(p) for p in sorted(data_dir.rglob("*")) if p.is_file()}


def written_reads_back(path: Path, suffix: str) -> None:
    if suffix == ".xlsx":
        assert openpyxl.load_workbook(path).sheetnames
    elif suffix == ".pdf":
        assert len(PdfReader(io.BytesIO(path.read_bytes())).pages) >= 1
    else:
        assert zipfile.is_zipfile(io.BytesIO(path.read_bytes()[:-64]))  # the exchange file: a zip, then its digest


@pytest.fixture
def kept(ctx: Context, data_dir: Path) -> dict[Path, str]:
    for folder in ("backups", "attachments", "logs"):
        (data_dir / folder / "某个文件.txt").write_text("程序保管的文件", encoding="utf-8")
    return kept_files(data_dir)


@pytest.mark.parametrize("writer", list(WRITERS))
def test_no_writer_writes_into_what_the_program_keeps(ctx: Context, data_dir: Path, tmp_path: Path,
                                                      kept: dict[Path, str], writer: str) -> None:
    suffix, write = WRITERS[writer]
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / f"看起来无害{suffix}"
    link.symlink_to(data_dir / "wuye.db")  # a link to the register (on a server, to the folder's own file)
    sidecar = tmp_path / "elsewhere" / f"日志{suffix}"
    sidecar.symlink_to(data_dir / "wuye.db-wal")  # SQLite's log beside the register, there or not
    refused = {
        data_dir / "backups" / f"x{suffix}": "backups",
        data_dir / "attachments" / f"x{suffix}": "attachments",
        data_dir / "logs" / "a" / ".." / f"x{suffix}": "logs",
        data_dir / "logs" / ".." / "backups" / f"x{suffix}": "backups",
        link: "台账数据库",
        sidecar: "台账数据库的日志文件",
        data_dir / "wuye.db": suffix,  # the ending is wrong before anything else
    }
    for path, said in refused.items():
        with pytest.raises(ValidationError, match=said):
            write(ctx, path, True)  # not even with the user's yes
    # Nothing new in backups/, attachments/ or logs/, nothing there replaced; the register is still a register.
    outside_the_register = {p: h for p, h in kept_files(data_dir).items() if not p.name.startswith("wuye.db")}
    assert outside_the_register == {p: h for p, h in kept.items() if not p.name.startswith("wuye.db")}
    if ctx.db.is_sqlite:
        assert (data_dir / "wuye.db").read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[Context, Path]]:
    """A register in a file on this PC (a hard link and a backup need one), and its data folder."""
    data_dir = tmp_path / "local"
    db = open_register(data_dir=str(data_dir))
    yield Context(db), data_dir
    db.dispose()


def test_a_hard_link_to_the_register_is_the_register(local: tuple[Context, Path], tmp_path: Path) -> None:
    ctx, data_dir = local
    before = digest(data_dir / "wuye.db")
    other = tmp_path / "报表.xlsx"
    os.link(data_dir / "wuye.db", other)
    with pytest.raises(ValidationError, match="台账数据库"):
        statistics.export_monthly(ctx, OCTOBER, other, replace=True)
    assert digest(data_dir / "wuye.db") == before


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_file_already_there_is_replaced_only_when_the_user_agreed(ctx: Context, tmp_path: Path,
                                                                    writer: str) -> None:
    suffix, write = WRITERS[writer]
    target = tmp_path / f"已有的文件{suffix}"
    target.write_bytes(b"a file the user kept here")
    with pytest.raises(outputs.ExistingFileError, match="已存在"):
        write(ctx, target, False)
    assert target.read_bytes() == b"a file the user kept here"
    write(ctx, target, True)
    written_reads_back(target, suffix)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wuye-")]  # no temporary file left behind


@pytest.mark.parametrize("writer", list(WRITERS))
def test_the_ending_must_be_that_of_the_file_written(ctx: Context, tmp_path: Path, writer: str) -> None:
    suffix, write = WRITERS[writer]
    out = tmp_path / "out"
    out.mkdir()
    for wrong in (".txt", ".db", ".xls" if suffix != ".xlsx" else ".pdf"):
        with pytest.raises(ValidationError) as caught:
            write(ctx, out / f"输出{wrong}", True)
        assert f"应以 {suffix} 结尾" in caught.value.message
    assert list(out.iterdir()) == []


def test_an_exchange_file_may_end_as_a_county_names_it_but_not_as_another_kind_of_file(
        ctx: Context, tmp_path: Path) -> None:
    for name in ("报送.pkg", "报送.wyx", "报送.zip"):
        assert outputs.check(ctx, tmp_path / name, outputs.EXCHANGE_FILE) == (tmp_path / name).resolve()
    for name in ("报送.xlsx", "报送.db", "报送.wuyebak", "报送"):
        with pytest.raises(ValidationError, match=r"应以 \.wyx 结尾"):
            outputs.check(ctx, tmp_path / name, outputs.EXCHANGE_FILE)
    with pytest.raises(ValidationError, match=r"应以 \.pdf 结尾"):
        outputs.check(ctx, tmp_path / "协议书.pkg", outputs.PDF)


def test_a_folder_that_is_not_there_or_a_file_in_the_way_is_said_plainly(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="不存在"):
        outputs.check(ctx, tmp_path / "没有的文件夹" / "x.pdf", outputs.PDF)
    (tmp_path / "占用").write_text("")
    with pytest.raises(StorageError, match="不是文件夹"):
        outputs.check(ctx, tmp_path / "占用" / "x.pdf", outputs.PDF)
    (tmp_path / "文件夹.pdf").mkdir()
    with pytest.raises(StorageError, match="这是一个文件夹"):
        outputs.check(ctx, tmp_path / "文件夹.pdf", outputs.PDF, replace=True)


def test_a_name_that_is_not_text_is_refused_before_anything_is_written(ctx: Context, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    name = os.fsdecode(os.fsencode(str(out)) + b"/\xff\xfe.xlsx")  # what Linux hands over for such bytes
    with pytest.raises(StorageError, match=r"\\xff\\xfe.*UTF-8"):
        statistics.export_monthly(ctx, OCTOBER, name, replace=True)
    assert list(out.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "月报.xlsx"
    target.write_bytes(b"last month's workbook")
    with pytest.raises(DomainError, match="磁盘空间已满"), outputs.saving(target) as temp:
        Path(temp).write_bytes(b"half of a new workb")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"last month's workbook"
    assert list(tmp_path.iterdir()) == [target]


def test_a_backup_folder_is_anywhere_but_inside_what_the_program_keeps(local: tuple[Context, Path],
                                                                       tmp_path: Path) -> None:
    ctx, data_dir = local
    live = data_dir / "wuye.db"
    for folder, said in ((data_dir / "attachments", "attachments"), (data_dir / "logs" / "新的", "logs"),
                         (data_dir / "backups" / "子文件夹", "backups"), (live, "台账数据库文件")):
        with pytest.raises(ValidationError, match=said):
            backups.back_up(ctx, folder)
    assert sorted(p.name for p in (data_dir / "attachments").iterdir()) == []
    assert not (data_dir / "backups" / "子文件夹").exists() and not (data_dir / "logs" / "新的").exists()
    assert live.read_bytes()[:16] == b"SQLite format 3\x00"
    assert Path(backups.back_up(ctx, data_dir / "backups").path).parent == data_dir / "backups"  # the usual place
    stick = tmp_path / "U盘"
    assert Path(backups.back_up(ctx, stick, passphrase="门口的桂花树2026").path).parent == stick.resolve()


def test_a_register_elsewhere_is_protected_where_it_is(tmp_path: Path) -> None:
    """--db-url pointing at a register file outside the data folder: that file, not only the folder's own."""
    from sqlalchemy import URL

    elsewhere = tmp_path / "另一处" / "台账.pdf"  # a register may carry any name
    elsewhere.parent.mkdir()
    db = open_register(data_dir=str(tmp_path / "data"),
                       db_url=URL.create("sqlite", database=str(elsewhere)).render_as_string())
    try:
        ctx = Context(db)
        for path in (elsewhere, tmp_path / "另一处" / "." / "台账.pdf"):
            with pytest.raises(ValidationError, match="台账数据库"):
                outputs.check(ctx, path, outputs.PDF, replace=True)
        assert outputs.check(ctx, tmp_path / "另一处" / "协议书.pdf", outputs.PDF) == (
            tmp_path / "另一处" / "协议书.pdf").resolve()
    finally:
        db.dispose()


def test_an_export_of_a_later_month_after_refusals_still_works(ctx: Context, tmp_path: Path) -> None:
    """The refusals leave the register as it was: the next export is whole."""
    register_case(ctx)
    with pytest.raises(ValidationError):
        statistics.export_monthly(ctx, NOVEMBER, tmp_path / "x.db")
    result = statistics.export_monthly(ctx, NOVEMBER, tmp_path / "十一月.xlsx")
    assert result.cases == 1 and openpyxl.load_workbook(result.path).sheetnames[0] == "汇总"
