"""The Chinese font every printed document embeds, and the checks before printing with it.

A PDF that embeds (a subset of) a TrueType CJK font prints the same on every
office PC, whatever its viewer has installed. The font is the one the
administrator chose in the settings (``documents.font_path``), or else the
first installed one in ``_PREFERRED`` order: FangSong/Song faces first, as
official documents use, then Kai, then Hei. Before anything is printed,
every character of the document is looked up in the font: a name with a
rare character (生僻字 such as 䶮) must not come out blank.

No ReportLab import at module level: this is also used to validate the
setting, which must stay cheap.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.exports.pdf.fontfile import Face, FontFileError, read_faces

# Characters any usable font must have: common words of the documents, digits, Latin letters.
PROBE = "人民调解协议书纠纷当事人签名年月日第页共，。：（）0123456789ABCabc"

# file name (lower case) -> face index in a .ttc; in order of preference.
_PREFERRED: tuple[tuple[str, int], ...] = (
    ("simfang.ttf", 0),  # 仿宋 (Windows)
    ("simsun.ttc", 0),  # 宋体
    ("uming.ttc", 0),  # AR PL UMing CN (Debian fonts-arphic-uming), a Ming/Song face
    ("gbsn00lp.ttf", 0),  # AR PL SungtiL GB
    ("simkai.ttf", 0),  # 楷体
    ("ukai.ttc", 0),  # AR PL UKai CN
    ("gkai00mp.ttf", 0),
    ("simhei.ttf", 0),  # 黑体
    ("msyh.ttc", 0),  # 微软雅黑
    ("msyh.ttf", 0),
    ("wqy-zenhei.ttc", 0),  # 文泉驿正黑: has CJK Extension A (䶮)
    ("wqy-microhei.ttc", 0),  # 文泉驿微米黑
)
_RANK = {name: rank for rank, (name, _index) in enumerate(_PREFERRED)}
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
_MIN_CJK_BYTES = 1_000_000  # a font with thousands of Chinese glyphs is never smaller


class NoChineseFontError(DomainError):
    """No installed font can print Chinese."""


class MissingGlyphsError(DomainError):
    """The font lacks some characters of the document."""

    def __init__(self, message: str, missing: list[str], suggestion: Face | None) -> None:
        super().__init__(message)
        self.missing = missing
        self.suggestion = suggestion


@dataclass(frozen=True)
class ChosenFont:
    face: Face
    chosen_by_admin: bool

    @property
    def family(self) -> str:
        return self.face.family


# -- where fonts are ------------------------------------------------------------------


def font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = os.environ.get("LOCALAPPDATA")
        dirs = [windir / "Fonts"]
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # fonts installed for one user
        return dirs
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    data_home = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data_home / "fonts", home / ".fonts"]


def _font_files() -> list[Path]:
    found: list[Path] = []
    for folder in font_dirs():
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            found += [Path(root) / name for name in files if name.lower().endswith(_FONT_SUFFIXES)]
    return found


_lock = threading.Lock()


@functools.lru_cache(maxsize=64)
def _faces_cached(path: str, mtime: float) -> tuple[Face, ...]:
    try:
        return tuple(read_faces(Path(path)))
    except FontFileError:
        return ()


def faces_of(path: Path) -> tuple[Face, ...]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return ()
    with _lock:
        return _faces_cached(str(path), mtime)


@functools.lru_cache(maxsize=1)
def installed_fonts() -> tuple[Face, ...]:
    """Installed fonts that can print Chinese (TrueType outlines, common characters), best first."""
    usable: list[tuple[tuple[int, int, str], Face]] = []
    for path in _font_files():
        try:
            if path.stat().st_size < _MIN_CJK_BYTES:
                continue
        except OSError:
            continue
        rank = _RANK.get(path.name.lower())
        for face in faces_of(path):
            if not face.truetype_outlines or face.missing(PROBE):
                continue
            preferred_index = rank is not None and _PREFERRED[rank][1] == face.index
            key = (rank if rank is not None else len(_RANK), 0 if preferred_index else 1 + face.index, str(path))
            usable.append((key, face))
    usable.sort(key=lambda item: item[0])
    return tuple(face for _key, face in usable)


# -- the setting ----------------------------------------------------------------------


def parse_setting(value: str) -> tuple[Path, int]:
    """``C:\\Windows\\Fonts\\simsun.ttc`` or ``...\\simsun.ttc#1`` (the second face of a collection)."""
    text = value.strip().strip('"')
    path, _, index = text.rpartition("#")
    if path and index.isdigit():
        return Path(path), int(index)
    return Path(text), 0


def validate_font_setting(key: str, value: object) -> str:
    """The administrator's font: "" (choose automatically) or a TrueType file that can print Chinese."""
    text = str(value or "").strip().strip('"')
    if not text:
        return ""
    path, index = parse_setting(text)
    if not path.is_file():
        raise ValidationError.single(
            key, f"找不到字体文件“{path}”，请填写完整路径，例如 C:\\Windows\\Fonts\\simfang.ttf")
    if path.suffix.lower() not in _FONT_SUFFIXES:
        raise ValidationError.single(key, f"“{path.name}”不是字体文件，请选择 .ttf 或 .ttc 文件")
    try:
        faces = read_faces(path)
    except FontFileError:
        raise ValidationError.single(key, f"“{path.name}”无法读取，可能已损坏，请换一个字体文件") from None
    if index >= len(faces):
        raise ValidationError.single(key, f"“{path.name}”只有 {len(faces)} 个字体，编号 #{index} 不存在")
    face = faces[index]
    if not face.truetype_outlines:
        raise ValidationError.single(
            key, f"“{face.family}”是 PostScript（CFF）轮廓字体，无法嵌入 PDF；请选择 TrueType 字体，"
                 "例如仿宋（simfang.ttf）、宋体（simsun.ttc）或文泉驿正黑（wqy-zenhei.ttc）")
    missing = face.missing(PROBE)
    if missing:
        raise ValidationError.single(
            key, f"“{face.family}”缺少常用汉字或数字（如“{''.join(missing[:6])}”），不能用来打印中文文书")
    return f"{path}#{index}" if index else str(path)


# -- choosing for one document ---------------------------------------------------------


def no_font_message() -> str:
    if sys.platform == "win32":
        where = ("Windows 自带的“仿宋”（simfang.ttf）或“宋体”（simsun.ttc）不在 C:\\Windows\\Fonts 中："
                 "请安装这两种字体之一")
    else:
        where = "请安装中文字体，例如：sudo apt-get install fonts-wqy-zenhei fonts-arphic-uming"
    return (f"找不到可以打印中文的字体，无法生成文书。{where}；"
            "也可以由管理员在设置“文书字体”中指定一个 TrueType 中文字体文件（.ttf 或 .ttc）。")


def printable(text: str) -> set[str]:
    """The characters that need a glyph: everything but spaces and control characters."""
    return {c for c in text if not c.isspace() and c.isprintable()}


def choose(chars: set[str], setting: str = "") -> ChosenFont:
    """The font to print ``chars`` with; explains what is missing rather than printing blanks."""
    if setting.strip():
        path, index = parse_setting(setting)
        faces = faces_of(path)
        if index < len(faces) and faces[index].truetype_outlines:
            face = faces[index]
            missing = face.missing(chars)
            if missing:
                raise _missing_error(face, missing, admin=True)
            return ChosenFont(face, chosen_by_admin=True)
        # The chosen file was removed or replaced since it was set: fall back rather than refuse to print.
    candidates = installed_fonts()
    if not candidates:
        raise NoChineseFontError(no_font_message())
    for face in candidates:
        if not face.missing(chars):
            return ChosenFont(face, chosen_by_admin=False)
    raise _missing_error(candidates[0], candidates[0].missing(chars), admin=False)


def _missing_error(face: Face, missing: list[str], *, admin: bool) -> MissingGlyphsError:
    shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in missing[:8])
    more = f"等 {len(missing)} 个字" if len(missing) > 8 else ""
    helper = next((f for f in installed_fonts() if f != face and not f.missing(missing)), None)
    message = f"字体“{face.family}”里没有这些字：{shown}{more}，打印出来会是空白。"
    if helper is not None and admin:
        message += (f"已安装的字体“{helper.family}”有这些字：请管理员在设置“文书字体”中改选它"
                    f"（{_setting_text(helper)}）后再打印。")
    elif helper is not None:
        message += f"已安装的字体“{helper.family}”有这些字，可在设置“文书字体”中选用（{_setting_text(helper)}）。"
    else:
        message += ("本机没有包含这些字的字体：请安装支持 GB 18030 全部汉字的 TrueType 字体"
                    "（例如 Linux 的 fonts-wqy-zenhei，或 Windows 的新版“宋体”），再打印。")
    return MissingGlyphsError(message, missing, helper)


def _setting_text(face: Face) -> str:
    return f"{face.path}#{face.index}" if face.index else str(face.path)


# -- ReportLab ------------------------------------------------------------------------

_registered: dict[tuple[str, int], str] = {}


def register(face: Face) -> str:
    """Register the face with ReportLab once per process; returns its font name (embedded as a subset)."""
    key = (str(face.path), face.index)
    with _lock:
        name = _registered.get(key)
        if name is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFError, TTFont

            name = f"Wuye-{face.postscript_name or face.path.stem}-{face.index}"
            try:
                pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
            except (TTFError, OSError) as exc:
                raise NoChineseFontError(
                    f"字体“{face.family}”（{face.path}）无法用于打印：{exc}。请在设置“文书字体”中换一个字体。"
                ) from exc
            _registered[key] = name
        return name


def check(chosen: ChosenFont, chars: set[str]) -> None:
    """Every character has a glyph in the chosen font, or a MissingGlyphsError naming those that lack one."""
    missing = chosen.face.missing(chars)
    if missing:
        raise _missing_error(chosen.face, missing, admin=chosen.chosen_by_admin)
