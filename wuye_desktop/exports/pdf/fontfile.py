"""Just enough of the TrueType/OpenType format to judge a font file without loading it.

ReportLab parses a whole CJK font (tens of MB, ~60 ms) to register it; to
pick among the fonts installed on a PC, and to say which of them has a
rare character, only three tables are needed: the table directory (are the
outlines TrueType, which ReportLab can embed, or CFF, which it refuses),
``name`` (what to call the font in a message) and ``cmap`` (which
characters have a glyph).
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

_ZH_CN, _ZH_TW, _EN_US = 0x0804, 0x0404, 0x0409


class FontFileError(ValueError):
    """The file is not a font this reader understands (damaged, or not a font at all)."""


@dataclass
class Face:
    """One face of a .ttf/.otf file, or one of the faces of a .ttc collection."""

    path: Path
    index: int
    family: str  # the Chinese family name where the font has one, e.g. 文泉驿正黑
    postscript_name: str
    truetype_outlines: bool  # glyf table: ReportLab can embed it; CFF outlines it cannot
    _ranges: _CharRanges = field(repr=False)

    def has(self, char: str) -> bool:
        return self._ranges.has(ord(char))

    def missing(self, chars: Iterable[str]) -> list[str]:
        return sorted({c for c in chars if not self._ranges.has(ord(c))})


class _CharRanges:
    """Sorted, non-overlapping (first, last) code point ranges that map to a real glyph."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges.sort()
        self._firsts = [r[0] for r in ranges]
        self._lasts = [r[1] for r in ranges]

    def has(self, code: int) -> bool:
        i = bisect.bisect_right(self._firsts, code) - 1
        return i >= 0 and code <= self._lasts[i]


def read_faces(path: Path) -> list[Face]:
    """Every face in the file; raises FontFileError for something that is not a usable font."""
    try:
        with path.open("rb") as f:
            tag = f.read(4)
            if tag == b"ttcf":
                _version, count = struct.unpack(">II", f.read(8))
                offsets = struct.unpack(f">{count}I", f.read(4 * count))
            else:
                offsets = (0,)
            return [_read_face(f, path, index, offset) for index, offset in enumerate(offsets)]
    except (OSError, struct.error, UnicodeDecodeError, IndexError) as exc:
        raise FontFileError(f"{path.name}: {exc}") from exc


def _read_face(f: BinaryIO, path: Path, index: int, offset: int) -> Face:
    f.seek(offset)
    sfnt_version, num_tables = struct.unpack(">IH", f.read(6))
    f.read(6)
    tables: dict[bytes, tuple[int, int]] = {}
    for _ in range(num_tables):
        tag, _checksum, table_offset, length = struct.unpack(">4sIII", f.read(16))
        tables[tag] = (table_offset, length)
    if b"cmap" not in tables or b"name" not in tables:
        raise FontFileError(f"{path.name}: 缺少 cmap 或 name 表")
    family, postscript = _names(_table(f, tables[b"name"]))
    truetype = sfnt_version in (0x00010000, 0x74727565) and b"glyf" in tables  # 1.0 or 'true'
    return Face(path, index, family or postscript or path.stem, postscript, truetype,
                _CharRanges(_cmap_ranges(_table(f, tables[b"cmap"]))))


def _table(f: BinaryIO, where: tuple[int, int]) -> bytes:
    f.seek(where[0])
    return f.read(where[1])


def _names(data: bytes) -> tuple[str, str]:
    _fmt, count, string_offset = struct.unpack(">HHH", data[:6])
    found: dict[tuple[int, int], str] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack(
            ">HHHHHH", data[6 + 12 * i:18 + 12 * i])
        if name_id not in (1, 6):
            continue
        raw = data[string_offset + offset:string_offset + offset + length]
        if platform == 3 or platform == 0:
            text = raw.decode("utf-16-be", errors="replace")
        elif platform == 1 and encoding == 0:
            text = raw.decode("latin-1")
            language = _EN_US if language == 0 else language
        else:
            continue
        found.setdefault((name_id, language), text)
    family = (found.get((1, _ZH_CN)) or found.get((1, _ZH_TW)) or found.get((1, _EN_US))
              or next((v for (n, _), v in found.items() if n == 1), ""))
    postscript = found.get((6, _EN_US)) or next((v for (n, _), v in found.items() if n == 6), "")
    return family, postscript


def _cmap_ranges(data: bytes) -> list[tuple[int, int]]:
    _version, count = struct.unpack(">HH", data[:4])
    subtables: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", data[4 + 8 * i:12 + 8 * i])
        subtables[(platform, encoding)] = offset
    # Full-repertoire (format 12) tables first: they include CJK Extension B and beyond.
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 1), (0, 0)):
        if key in subtables:
            offset = subtables[key]
            fmt = struct.unpack(">H", data[offset:offset + 2])[0]
            if fmt == 12:
                return _format12(data, offset)
            if fmt == 4:
                return _format4(data, offset)
    raise FontFileError("没有 Unicode 字符映射表")


def _format12(data: bytes, offset: int) -> list[tuple[int, int]]:
    groups = struct.unpack(">I", data[offset + 12:offset + 16])[0]
    ranges = []
    for i in range(groups):
        first, last, glyph = struct.unpack(">III", data[offset + 16 + 12 * i:offset + 28 + 12 * i])
        if glyph == 0:  # a group starting at .notdef: its first code has no glyph
            first += 1
        if first <= last:
            ranges.append((first, last))
    return ranges


def _format4(data: bytes, offset: int) -> list[tuple[int, int]]:
    seg_x2 = struct.unpack(">H", data[offset + 6:offset + 8])[0]
    segs = seg_x2 // 2
    ends_at = offset + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    range_offsets_at = deltas_at + seg_x2
    ends = struct.unpack(f">{segs}H", data[ends_at:ends_at + seg_x2])
    starts = struct.unpack(f">{segs}H", data[starts_at:starts_at + seg_x2])
    deltas = struct.unpack(f">{segs}h", data[deltas_at:deltas_at + seg_x2])
    range_offsets = struct.unpack(f">{segs}H", data[range_offsets_at:range_offsets_at + seg_x2])
    ranges: list[tuple[int, int]] = []
    for i in range(segs):
        first, last = starts[i], ends[i]
        if first == 0xFFFF:
            continue
        if range_offsets[i] == 0:
            # glyph = code + delta (mod 65536); only the code mapping to glyph 0 lacks one.
            hole = (-deltas[i]) % 0x10000
            if first <= hole <= last:
                ranges += [r for r in ((first, hole - 1), (hole + 1, last)) if r[0] <= r[1]]
            else:
                ranges.append((first, last))
            continue
        base = range_offsets_at + 2 * i + range_offsets[i]
        run_start = None
        for code in range(first, last + 1):
            at = base + 2 * (code - first)
            glyph = struct.unpack(">H", data[at:at + 2])[0] if at + 2 <= len(data) else 0
            if glyph and run_start is None:
                run_start = code
            elif not glyph and run_start is not None:
                ranges.append((run_start, code - 1))
                run_start = None
        if run_start is not None:
            ranges.append((run_start, last))
    return ranges
