"""File names the program makes from what users typed are names Windows accepts, in paths Windows can open.

A committee's short name goes into every case number, and a printed
document is offered for saving under its number; an attachment keeps the
name of the file it came from (which another PC on a shared server may
have made, with characters Windows forbids). Judged with ``PureWindowsPath``.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

from service_helpers import register_case

from wuye_desktop.services.casework import attachments, documents
from wuye_desktop.services.context import Context
from wuye_desktop.services.reference import choices
from wuye_desktop.storage.paths import WINDOWS_MAX_PATH

FORBIDDEN = '<>:"/\\|?*'


def _acceptable(name: str) -> bool:
    path = PureWindowsPath("C:/Users/王晓燕/Documents", name)
    return (path.name == name and not path.is_reserved() and not any(c in name for c in FORBIDDEN)
            and not name.endswith((".", " ")))


def test_a_document_of_a_committee_whose_short_name_has_a_slash_saves_under_a_valid_name(ctx: Context) -> None:
    choices.update_committee(ctx, name="幸福里社区人民调解委员会", short_name="东区/西区:一")
    case = register_case(ctx)
    assert "/" in case.number  # the number itself stays as the committee wrote it
    printed = documents.prepare(ctx, "registration", case.id)
    assert _acceptable(printed.file_name), printed.file_name
    assert printed.file_name.endswith(".pdf") and "东区_西区_一调字第1号" in printed.file_name


def test_an_attachment_with_a_name_windows_forbids_opens_as_a_valid_copy(ctx: Context, tmp_path: Path) -> None:
    case_id = register_case(ctx).id
    # A deep folder, as a long user name and a redirected Temp can make one: a name must be cut to fit.
    folder = tmp_path / ("很深的文件夹" * 10) / ("临时文件" * 15) / "wuye-attachments"
    for name in ("调解:现场?照片.jpg", "CON.pdf", "报告 .", "很长的扫描件名称" * 10 + ".pdf"):
        source = tmp_path / "from-another-pc" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(b"%PDF-1.4 scan of " + name.encode())
        added = attachments.add(ctx, case_id, source)
        copy = attachments.viewable_copy(ctx, added.id, folder)
        assert copy.read_bytes() == source.read_bytes()
        assert _acceptable(copy.name), copy.name
        assert len(str(copy)) <= WINDOWS_MAX_PATH, "a path Windows opens without long paths enabled"
        if source.suffix in (".jpg", ".pdf"):
            assert copy.suffix == source.suffix, "the viewer is chosen by the extension"
