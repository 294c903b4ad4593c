"""Chinese line breaking: no line starts with closing punctuation, numbers stay whole.

ReportLab's ``wordWrap='CJK'`` breaks between any two characters and only
knows a few closing marks (not the full-width comma ， or ：；？！》), and
when one would start a line it lets at most one hang in the margin. Here,
as Chinese typesetting does (推出), the character before it moves down
with it; an opening bracket never ends a line; and a run of digits or
Latin letters (a phone number, an amount, an ID number) is not split
unless it is longer than the line.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

CLOSING = frozenset("，。、；：？！）」』》〉】〕］｝”’…％‰℃·!),.:;?]}%")
OPENING = frozenset("（「『《〈【〔［｛“‘([{")
_MAX_PUSH = 6  # characters moved down at most before letting punctuation hang instead
FIELD_SEPARATOR = "\xa0"  # no-break spaces part the fields of a form line (姓名：张三  性别：男)
_MAX_FIELD = 12  # a field up to this long moves to the next line whole


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "._-/@+")


def choose_break(chars: str, start: int, overflow: int) -> int:
    """Index where the next line starts, given that ``chars[overflow]`` no longer fits."""
    brk = _word_start(chars, start, _field_start(chars, start, overflow))
    pushed = brk
    for _ in range(_MAX_PUSH):
        if pushed - 1 <= start or not (chars[pushed] in CLOSING or chars[pushed - 1] in OPENING):
            break
        pushed = _word_start(chars, start, pushed - 1)
    if pushed <= start or chars[pushed] in CLOSING or chars[pushed - 1] in OPENING:
        # Nowhere to move back to (a run of punctuation, or a bracket before a word as long as the line):
        # break where the line is full, and let closing marks hang in the margin.
        pushed = overflow
        while pushed < len(chars) and chars[pushed] in CLOSING:
            pushed += 1
    while pushed < len(chars) and chars[pushed] in (" ", FIELD_SEPARATOR):
        pushed += 1  # a space at a break belongs to the line before
    return max(pushed, start + 1)


def _word_start(chars: str, start: int, brk: int) -> int:
    """Move a break inside a number or a Latin word to the word's start (unless it began the line)."""
    if brk >= len(chars) or not (_is_word_char(chars[brk]) and _is_word_char(chars[brk - 1])):
        return brk
    run = brk - 1
    while run > start and _is_word_char(chars[run - 1]):
        run -= 1
    return run if run > start else brk


def _field_start(chars: str, start: int, overflow: int) -> int:
    """Keep a short field such as 年龄：75岁 whole: break before it rather than inside it."""
    sep = chars.rfind(FIELD_SEPARATOR, start + 1, overflow)
    if sep < 0:
        return overflow
    field_start = sep + 1
    while field_start < overflow and chars[field_start] == FIELD_SEPARATOR:
        field_start += 1
    end = chars.find(FIELD_SEPARATOR, overflow)
    length = (len(chars) if end < 0 else end) - field_start
    return field_start if length <= _MAX_FIELD and field_start < overflow else overflow


class _Glyph(str):
    """One character with its fragment and width, as ReportLab's ``cjkU``, but with the width looked up once."""

    __slots__ = ("frag", "width")
    frag: Any
    width: float


_widths: dict[tuple[str, float], dict[str, float]] = {}


def _glyphs(frag: Any, text: str) -> list[Any]:
    if hasattr(frag, "cbDefn"):
        return [cjkU(ch, frag, "utf8") for ch in text]
    widths = _widths.setdefault((frag.fontName, frag.fontSize), {})
    out = []
    for ch in text:
        glyph = _Glyph(ch)
        glyph.frag = frag
        width = widths.get(ch)
        if width is None:
            width = widths[ch] = stringWidth(ch, frag.fontName, frag.fontSize)
        glyph.width = width
        out.append(glyph)
    return out


def split_lines(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """Like ReportLab's ``cjkFragSplit``, with the breaking rules above."""
    glyphs: list[Any] = []
    for frag in frags:
        text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        if text:
            glyphs += _glyphs(frag, text)
        else:
            glyphs.append(cjkU(text, frag, "utf8"))
    chars = "".join(g if g else "\0" for g in glyphs)
    lines: list[Any] = []
    start = i = 0
    used = 0.0

    def width_at(n: int) -> float:
        return max_widths[min(n, len(max_widths) - 1)]

    while i < len(glyphs):
        g = glyphs[i]
        if hasattr(g.frag, "lineBreak"):  # <br/>
            lines.append(makeCJKParaLine(glyphs[start:i + 1], width_at(len(lines)), used + g.width,
                                         width_at(len(lines)) - used - g.width, True, calc_bounds))
            i += 1
            start, used = i, 0.0
            continue
        limit = width_at(len(lines))
        if used + g.width > limit + _FUZZ and i > start:
            brk = choose_break(chars, start, i)
            line = glyphs[start:brk]
            width = sum(x.width for x in line)
            lines.append(makeCJKParaLine(line, limit, width, limit - width, False, calc_bounds))
            start = i = brk
            used = 0.0
            continue
        used += g.width
        i += 1
    if start < len(glyphs):
        line = glyphs[start:]
        width = sum(x.width for x in line)
        limit = width_at(len(lines))
        lines.append(makeCJKParaLine(line, limit, width, limit - width, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class CJKParagraph(Paragraph):  # type: ignore[misc]  # ReportLab is untyped
    """A Paragraph that breaks lines by the rules above (style.wordWrap must be 'CJK')."""

    def breakLinesCJK(self, widths: Any) -> Any:  # noqa: N802 - ReportLab's name
        max_widths = list(widths) if isinstance(widths, (list, tuple)) else [widths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        self.height = 0
        frags = self.frags
        if not frags:
            style = self.style
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_lines(frags, max_widths, auto_leading not in ("", "off"))


__all__ = ["CLOSING", "OPENING", "CJKParagraph", "choose_break", "split_lines"]
