"""Scans, photos and documents kept with a case, stored once by content hash.

A file is copied to ``attachments/<sha256[:2]>/<sha256>`` under the data
folder before its row is written: a failed save leaves at most an unused
copy, never a row without its file. The same scan added twice is stored
once.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from wuye_desktop.errors import NotFoundError, StorageError, ValidationError
from wuye_desktop.models import Attachment
from wuye_desktop.services import audit
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.storage.paths import describe_os_error, safe_file_name
from wuye_desktop.storage.private import create_file, make_folder

CATEGORIES = ("证据", "现场照片", "身份证明", "授权委托书", "申请书", "其他")
_CHUNK = 1 << 20
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class AttachmentView:
    id: int
    case_id: int
    file_name: str
    size: int
    media_type: str
    category: str
    description: str
    added_by: str
    added_at: datetime
    sha256: str


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(a.id, a.case_id, a.file_name, a.size, a.media_type, a.category, a.description,
                          a.added_by, a.created_at, a.sha256)


def _root(ctx: Context) -> Path:
    if ctx.db.paths is None:
        raise StorageError("这本台账没有数据文件夹，无法保存或打开附件；请用 --data-dir 指定数据文件夹")
    return ctx.db.paths.attachments


def stored_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _store(root: Path, source: Path, progress: Progress | None) -> tuple[str, int]:
    """Hash while copying to a temporary file in the store, then move it into place."""
    total = source.stat().st_size
    digest = hashlib.sha256()
    done = 0
    make_folder(root, ours=True)
    handle, temp_name = tempfile.mkstemp(dir=root, prefix=".adding-")  # 0600, this user's only
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = stored_path(root, sha)
        make_folder(target.parent, ours=True)
        if target.exists():
            temp.unlink()
        else:
            temp.replace(target)
        return sha, done
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@requires(Permission.MEDIATE)
def add(ctx: Context, case_id: int, source: str | Path, category: str = "", description: str = "",
        progress: Progress | None = None) -> AttachmentView:
    path = Path(source)
    if not path.is_file():
        raise ValidationError.single("file", f"找不到文件“{path}”，请重新选择")
    if len(path.name) > 255:
        raise ValidationError.single("file", "文件名过长（超过255个字符），请改短后再添加")
    with ctx.db.reading() as session:
        load(session, case_id)  # the case exists before anything is copied
    try:
        sha, size = _store(_root(ctx), path, progress)
    except OSError as exc:
        raise StorageError(f"无法保存附件“{path.name}”：{describe_os_error(exc)}") from exc
    media_type = mimetypes.guess_type(path.name)[0] or ""
    with ctx.db.writing() as session:
        load(session, case_id)
        row = Attachment(case_id=case_id, sha256=sha, file_name=path.name, size=size, media_type=media_type,
                         category=category.strip()[:40], description=description.strip(), added_by=ctx.actor)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "add_attachment", "case", case_id,
                     {"attachment": row.id, "file": path.name, "sha256": sha, "size": size})
        session.refresh(row)
        return _view(row)


@requires(Permission.READ_CASES)
def list_for(ctx: Context, case_id: int) -> list[AttachmentView]:
    with ctx.db.reading() as session:
        return [_view(a) for a in session.scalars(
            select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))]


@requires(Permission.READ_CASES)
def open_path(ctx: Context, attachment_id: int) -> Path:
    """The stored file, to hand to the system viewer; opening a party's papers is recorded."""
    root = _root(ctx)
    with ctx.db.writing() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError("找不到这个附件，可能已被删除")
        path = stored_path(root, row.sha256)
        if not path.is_file():
            raise StorageError(f"附件“{row.file_name}”的文件不在数据文件夹中（{path}），"
                               "可能已被移动或删除；请从备份恢复")
        audit.record(session, ctx.actor, "open_attachment", "case", row.case_id,
                     {"attachment": row.id, "file": row.file_name})
        return path


@requires(Permission.READ_CASES)
def viewable_copy(ctx: Context, attachment_id: int, folder: str | Path) -> Path:
    """A copy under its original name: the system viewer is chosen by the file's extension."""
    stored = open_path(ctx, attachment_id)
    with ctx.db.reading() as session:
        row = session.get_one(Attachment, attachment_id)
        name = row.file_name
    stem, dot, extension = name.rpartition(".")
    suffix = f".{safe_file_name(extension)}" if dot and stem and len(extension) <= 10 else ""
    target = Path(folder) / safe_file_name(f"{attachment_id}-{stem if suffix else name}", suffix, Path(folder))
    try:
        make_folder(Path(folder))
        with stored.open("rb") as src, open(create_file(target, exclusive=False), "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)
    except OSError as exc:
        raise StorageError(f"无法打开附件“{name}”：{describe_os_error(exc)}") from exc
    return target


@requires(Permission.MEDIATE)
def remove(ctx: Context, attachment_id: int) -> None:
    """Take an attachment off the case; the file goes when no other case still uses it."""
    root = _root(ctx)
    with ctx.db.writing() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError("找不到这个附件，可能已被删除")
        sha, case_id, name = row.sha256, row.case_id, row.file_name
        session.delete(row)
        session.flush()
        still_used = session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha))
        audit.record(session, ctx.actor, "remove_attachment", "case", case_id,
                     {"attachment": attachment_id, "file": name, "sha256": sha})
    if not still_used:
        stored_path(root, sha).unlink(missing_ok=True)
