"""The Chinese fonts of a Windows PC, found where Windows keeps them and printed with the right face.

Windows' own fonts cannot be shipped here, so each test font is a real
TrueType file made from WenQuanYi Micro Hei's glyphs with the name table
of the Windows font it stands for, under the Windows file name:
simfang.ttf (仿宋), simsun.ttc (宋体 and 新宋体), simhei.ttf (黑体) and
msyh.ttc (微软雅黑 and 微软雅黑 UI). ``sys.platform`` is set to ``win32``
and ``WINDIR``/``LOCALAPPDATA`` point at a folder of the test's own: the
program's real search and ReportLab's real embedding do the rest.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from pathlib import Path, PureWindowsPath

import pytest
from pdf_helpers import agreement, all_text, reader, unembedded_fonts

from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf import render

MICRO_HEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
ZH_CN, EN_US = 0x0804, 0x0409

# file -> faces: (Chinese family, English family, PostScript name), as Windows 10/11 ship them.
WINDOWS_FONTS = {
    "simfang.ttf": [("仿宋", "FangSong", "FangSong")],
    "simsun.ttc": [("宋体", "SimSun", "SimSun"), ("新宋体", "NSimSun", "NSimSun")],
    "simhei.ttf": [("黑体", "SimHei", "SimHei")],
    "msyh.ttc": [("微软雅黑", "Microsoft YaHei", "MicrosoftYaHei"),
                 ("微软雅黑 UI", "Microsoft YaHei UI", "MicrosoftYaHeiUI")],
}


def _tables(path: Path) -> tuple[int, dict[bytes, bytes]]:
    data = path.read_bytes()
    start = struct.unpack(">I", data[12:16])[0] if data[:4] == b"ttcf" else 0
    version, count = struct.unpack(">IH", data[start:start + 6])
    tables = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sIII", data[start + 12 + 16 * i:start + 28 + 16 * i])
        tables[tag] = data[offset:offset + length]
    return version, tables


def _name_table(chinese: str, english: str, postscript: str) -> bytes:
    names = [(EN_US, 1, english), (EN_US, 4, english), (EN_US, 6, postscript), (ZH_CN, 1, chinese), (ZH_CN, 4, chinese)]
    records, strings = b"", b""
    for language, name_id, text in sorted(names):
        raw = text.encode("utf-16-be")
        records += struct.pack(">HHHHHH", 3, 1, language, name_id, len(raw), len(strings))
        strings += raw
    return struct.pack(">HHH", 0, len(names), 6 + 12 * len(names)) + records + strings


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _write_font(target: Path, faces: list[tuple[str, str, str]]) -> None:
    """A .ttf (one face) or .ttc (several sharing the glyphs), each face with its own name table."""
    version, tables = _tables(MICRO_HEI)
    shared = {tag: data for tag, data in tables.items() if tag != b"name"}
    count = len(tables)
    collection = len(faces) > 1
    position = (12 + 4 * len(faces) if collection else 0) + (12 + 16 * count) * len(faces)
    body, offsets = b"", {}

    def place(data: bytes) -> int:
        nonlocal body, position
        at = position
        body += data + b"\0" * (-len(data) % 4)
        position = (12 + 4 * len(faces) if collection else 0) + (12 + 16 * count) * len(faces) + len(body)
        return at

    for tag in sorted(shared):
        offsets[tag] = place(shared[tag])
    directories = b""
    for face in faces:
        name = _name_table(*face)
        entries = {**{tag: (offsets[tag], shared[tag]) for tag in shared}, b"name": (place(name), name)}
        power = 1 << (count.bit_length() - 1)
        directory = struct.pack(">IHHHH", version, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
        for tag in sorted(entries):
            at, data = entries[tag]
            directory += struct.pack(">4sIII", tag, _checksum(data), at, len(data))
        directories += directory
    header = b""
    if collection:
        first = 12 + 4 * len(faces)
        header = struct.pack(">4sII", b"ttcf", 0x00010000, len(faces)) + b"".join(
            struct.pack(">I", first + (12 + 16 * count) * i) for i in range(len(faces)))
    target.write_bytes(header + directories + body)


@pytest.fixture(scope="module")
def windows_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Windows folder whose Fonts hold the usual Chinese fonts (as test files)."""
    windir = tmp_path_factory.mktemp("Windows")
    (windir / "Fonts").mkdir()
    for name, faces in WINDOWS_FONTS.items():
        _write_font(windir / "Fonts" / name, faces)
    (windir / "Fonts" / "arial.ttf").write_bytes(b"\0" * 4096)  # Latin fonts there are skipped unread
    return windir


@pytest.fixture
def on_windows(windows_fonts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windows_fonts))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    fonts.installed_fonts.cache_clear()
    yield windows_fonts / "Fonts"
    fonts.installed_fonts.cache_clear()


def test_fonts_are_looked_for_in_windows_fonts_and_the_users_own_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", "C:\\Windows")
    monkeypatch.setenv("LOCALAPPDATA", "C:\\Users\\王晓燕\\AppData\\Local")
    assert [PureWindowsPath(str(folder)) for folder in fonts.font_dirs()] == [
        PureWindowsPath("C:/Windows/Fonts"), PureWindowsPath("C:/Users/王晓燕/AppData/Local/Microsoft/Windows/Fonts")]


def test_the_windows_faces_are_known_by_their_chinese_names_in_the_order_documents_want(on_windows: Path) -> None:
    found = [(face.path.name, face.index, face.family, face.postscript_name) for face in fonts.installed_fonts()]
    assert found == [
        ("simfang.ttf", 0, "仿宋", "FangSong"),
        ("simsun.ttc", 0, "宋体", "SimSun"),
        ("simsun.ttc", 1, "新宋体", "NSimSun"),
        ("simhei.ttf", 0, "黑体", "SimHei"),
        ("msyh.ttc", 0, "微软雅黑", "MicrosoftYaHei"),
        ("msyh.ttc", 1, "微软雅黑 UI", "MicrosoftYaHeiUI"),
    ]


def _embedded(pdf: bytes) -> set[str]:
    names = set()
    for page in reader(pdf).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


def test_an_agreement_prints_in_fangsong_when_nothing_is_chosen(on_windows: Path) -> None:
    rendered = render(agreement())
    assert rendered.font_family == "仿宋"
    assert "人民调解协议书" in all_text(rendered.pdf) and unembedded_fonts(rendered.pdf) == []
    assert any("FangSong" in name for name in _embedded(rendered.pdf))


@pytest.mark.parametrize(("setting", "family", "postscript"), [
    ("simsun.ttc", "宋体", "SimSun"),
    ("simsun.ttc#1", "新宋体", "NSimSun"),
    ("msyh.ttc#1", "微软雅黑 UI", "MicrosoftYaHeiUI"),
])
def test_the_administrators_face_of_a_collection_is_the_one_embedded(
        on_windows: Path, setting: str, family: str, postscript: str) -> None:
    value = fonts.validate_font_setting("documents.font_path", str(on_windows / setting))
    rendered = render(agreement(), value)
    assert rendered.font_family == family
    assert any(postscript in name for name in _embedded(rendered.pdf)), "ReportLab took the face at that index"


def test_a_setting_typed_as_a_windows_path_is_read_with_its_face_number() -> None:
    path, index = fonts.parse_setting('"C:\\Windows\\Fonts\\simsun.ttc#1"')
    assert PureWindowsPath(str(path)) == PureWindowsPath("C:/Windows/Fonts/simsun.ttc") and index == 1
    path, index = fonts.parse_setting("C:\\Windows\\Fonts\\simfang.ttf")
    assert PureWindowsPath(str(path)).name == "simfang.ttf" and index == 0


def test_a_windows_pc_without_chinese_fonts_is_told_which_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Fonts").mkdir()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    fonts.installed_fonts.cache_clear()
    try:
        with pytest.raises(fonts.NoChineseFontError) as caught:
            render(agreement())
    finally:
        fonts.installed_fonts.cache_clear()
    message = caught.value.message
    assert "simfang.ttf" in message and "simsun.ttc" in message and "C:\\Windows\\Fonts" in message
    assert "apt-get" not in message
