"""Attachments: stored once by SHA-256 under the data folder, listed, opened (audited), removed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from service_helpers import audit_since, last_audit_id, register_case

from wuye_desktop.errors import NotFoundError, ValidationError
from wuye_desktop.services.casework import attachments
from wuye_desktop.services.context import Context


def test_a_file_is_stored_by_its_hash_once_and_opened(ctx: Context, tmp_path: Path) -> None:
    case_id = register_case(ctx).id
    other_case = register_case(ctx).id
    scan = tmp_path / "现场照片.jpg"
    scan.write_bytes(b"\xff\xd8" + b"photo" * 100_000)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    seen: list[tuple[int, int]] = []
    before = last_audit_id(ctx)

    first = attachments.add(ctx, case_id, scan, category="现场照片", progress=lambda d, t: seen.append((d, t)))
    second = attachments.add(ctx, other_case, scan)
    assert ctx.db.paths is not None
    stored = ctx.db.paths.attachments / digest[:2] / digest
    assert stored.read_bytes() == scan.read_bytes()
    assert (first.sha256, first.size, first.file_name, first.media_type) == (digest, scan.stat().st_size,
                                                                           "现场照片.jpg", "image/jpeg")
    assert seen[-1] == (scan.stat().st_size, scan.stat().st_size)
    assert [a.id for a in attachments.list_for(ctx, case_id)] == [first.id]
    assert not list(ctx.db.paths.attachments.glob("*/.adding-*")), "no temporary copy is left"

    assert attachments.open_path(ctx, first.id) == stored
    copy = attachments.viewable_copy(ctx, first.id, tmp_path / "view")
    assert copy.name.endswith("现场照片.jpg") and copy.read_bytes() == scan.read_bytes()

    attachments.remove(ctx, first.id)
    assert stored.exists(), "the other case still uses the same file"
    attachments.remove(ctx, second.id)
    assert not stored.exists()
    assert [a[1] for a in audit_since(ctx, before)] == [
        "add_attachment", "add_attachment", "open_attachment", "open_attachment", "remove_attachment",
        "remove_attachment"]


def test_a_missing_file_or_case_is_refused_before_anything_is_copied(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        attachments.add(ctx, register_case(ctx).id, tmp_path / "没有这个文件.pdf")
    assert "file" in caught.value.errors
    real = tmp_path / "a.pdf"
    real.write_bytes(b"%PDF-1.4")
    with pytest.raises(NotFoundError):
        attachments.add(ctx, 9999, real)
    assert ctx.db.paths is not None
    assert not any(p.is_file() for p in ctx.db.paths.attachments.rglob("*"))
