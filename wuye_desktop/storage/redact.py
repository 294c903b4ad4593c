"""The one detector of personal numbers in free text, and the three ways the program hides them.

Clerks write phones and ID numbers into 简要案情, 纠纷事实, records, clauses and notes as a
matter of course, and spell them every way people do: ``+86 139 8765 4321``,
``139-8765-4321``, full-width ``１３９８７６５４３２１``, ``(0714)6228899转123``,
``420106 19850612 0012``, the old 15-digit ID. ``find`` finds all of these, and the flat of an
address (``3栋2单元501室``), while case numbers (``（2026）幸福里调字第12号``), dates, amounts,
article numbers and companies' unified social credit codes stay as they are.

- ``redact``: for screens, workbooks, the exchange file and logs: ``139****4321``,
  ``0714-****8899``, ``420***********0012``, ``3栋****`` (the forms the party fields use).
- ``remove``: for a file that must carry none of it: a placeholder instead.
- ``searchable``: the text a search without the right to see personal data may match: a phone
  keeps only its last four digits, as a word of its own (电话尾号); ID numbers and flats go.

Each repeats until nothing is left to find, so what it returns never holds a number ``find``
would find, even where a kept tail and the digits beside it would make a new one.

It lives below the wings because logs and crash reports (``storage/log_redaction.py``) use it
as well as the services.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    ID = "id"
    ROOM = "room"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: Kind
    masked: str  # as the party fields show it: 139****4321, 0714-****8899, 420***********0012, ****
    tail: str  # the last four digits of a phone; "" for an ID or a flat


# Full-width forms (IME input), the ideographic and no-break spaces and the dashes fold one
# character for one, so a span found in the folded text is the same span of the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D,
              0x2014: 0x2D, 0x2212: 0x2D})

_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t])?"  # what people put between the groups of a long number


def _spaced(*chars: str) -> str:
    return _SEP.join(chars)


def _pair(*options: tuple[str, str]) -> str:
    return "(?:" + "|".join(_spaced(a, b) for a, b in options) + ")"


_D = "[0-9]"
_PROVINCE = _pair(("1", "[1-5]"), ("2", "[1-3]"), ("3", "[1-7]"), ("4", "[1-6]"), ("5", "[0-4]"),
                  ("6", "[1-5]"), ("7", "1"), ("8", "[1-3]"))
_MONTH = _pair(("0", "[1-9]"), ("1", "[0-2]"))
_DAY = _pair(("0", "[1-9]"), ("[12]", _D), ("3", "[01]"))
_CENTURY = _pair(("1", "[89]"), ("2", "0"))
_ID18 = _spaced(_PROVINCE, _D, _D, _D, _D, _CENTURY, _D, _D, _MONTH, _DAY, _D, _D, _D, "[0-9Xx]")
_ID15 = _spaced(_PROVINCE, _D, _D, _D, _D, _D, _D, _MONTH, _DAY, _D, _D, _D)
_COUNTRY = r"(?:(?:\+|00)[ \t]?86|\(\+?86\))"
_MOBILE = rf"(?:{_COUNTRY}{_SEP})?" + _spaced("1", "[3-9]", *[_D] * 9)
# Only Beijing (010) and 02x have three-digit area codes; all others have four.
_AREA = r"(?:010|02[0-9]|0[3-9][0-9]{2})"
_LOCAL = rf"[2-9][0-9]{{2,3}}{_SEP}[0-9]{{4}}"
_EXTENSION = r"(?:[ \t]?(?:-|转|#|[Ee][Xx][Tt]\.?|[Xx]|分机)[ \t]?[0-9]{1,6})?"
_LANDLINE = (rf"(?:{_COUNTRY}{_SEP}\(?0?(?:10|2[0-9]|[3-9][0-9]{{2}})\)?|\({_AREA}\)|{_AREA})"
             rf"{_SEP}{_LOCAL}{_EXTENSION}")
_BUILDING = r"(?:(?<=栋)|(?<=幢)|(?<=座)|(?<=号楼))"
_ROOM = "|".join((
    r"[0-9]{1,2}单元(?:[0-9]{1,2}[层楼])?[0-9]{2,4}(?:室|号|房|户)?",  # 2单元501室
    rf"{_BUILDING}(?:[0-9]{{1,2}}-)?[0-9]{{3,4}}(?:室|号|房|户)?",  # 3栋501, 3号楼2-501
    r"[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}(?:室|号|房)",  # 3-2-501室
    r"[0-9]{3,4}(?:室|号房|房)",  # 501室
))
_NOT_AFTER_DIGIT = r"(?<![0-9])(?<![0-9][-.])"
_NOT_BEFORE_DIGIT = r"(?![0-9])(?![-.][0-9])"
# The lookahead first lets the engine skip to the next digit, "+" or "(" (3-4 times quicker).
_PATTERN = re.compile(
    rf"(?=[0-9+(])(?:(?<![A-Za-z]){_NOT_AFTER_DIGIT}(?P<{Kind.ID}>{_ID18}|{_ID15})(?![A-Za-z]){_NOT_BEFORE_DIGIT}"
    rf"|{_NOT_AFTER_DIGIT}(?P<{Kind.MOBILE}>{_MOBILE}){_NOT_BEFORE_DIGIT}"
    rf"|{_NOT_AFTER_DIGIT}(?P<{Kind.LANDLINE}>{_LANDLINE}){_NOT_BEFORE_DIGIT}"
    rf"|(?<![0-9])(?P<{Kind.ROOM}>{_ROOM})(?![0-9]))"
)
_LANDLINE_PARTS = re.compile(rf"(?:{_COUNTRY}{_SEP})?\(?(?P<area>0?(?:10|2[0-9]|[3-9][0-9]{{2}}))\)?{_SEP}"
                             rf"(?P<local>{_LOCAL}){_EXTENSION}")
_COUNTRY_AT_START = re.compile(rf"^{_COUNTRY}")
_DIGIT = re.compile(r"[0-9]")


def fold(text: str) -> str:
    """The text with full-width digits, letters, brackets, spaces and dashes as ASCII, same length."""
    return text.translate(_FOLD)


def find(text: str) -> list[Found]:
    """Every phone, ID number and flat in ``text``, in order, none overlapping."""
    folded = fold(text)
    if not _DIGIT.search(folded):
        return []
    return [_found(m) for m in _PATTERN.finditer(folded)]


def _found(match: re.Match[str]) -> Found:
    kind = Kind(str(match.lastgroup))
    span = match.group()
    start, end = match.span()
    if kind is Kind.ROOM:
        return Found(start, end, kind, "****", "")
    if kind is Kind.ID:
        number = re.sub(r"[^0-9Xx]", "", span).upper()
        return Found(start, end, kind, f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}", "")
    if kind is Kind.LANDLINE:
        return _landline(start, end, span)
    digits = re.sub(r"[^0-9]", "", _COUNTRY_AT_START.sub("", span))
    return Found(start, end, kind, f"{digits[:3]}****{digits[-4:]}", digits[-4:])


def _landline(start: int, end: int, span: str) -> Found:
    parts = _LANDLINE_PARTS.fullmatch(span)
    local = re.sub(r"[^0-9]", "", parts["local"] if parts else span)
    if parts is None:  # not expected: the pattern and its parts are built of the same pieces
        return Found(start, end, Kind.LANDLINE, f"****{local[-4:]}", local[-4:])
    area = parts["area"] if parts["area"].startswith("0") else "0" + parts["area"]
    return Found(start, end, Kind.LANDLINE, f"{area}-****{local[-4:]}", local[-4:])


def _until_clean(text: str, replacement: Callable[[Found], str]) -> str:
    while found := find(text):
        pieces, at = [], 0
        for item in found:
            pieces += [text[at:item.start], replacement(item)]
            at = item.end
        pieces.append(text[at:])
        text = "".join(pieces)
    return text


def redact(text: str) -> str:
    """The text with every number masked as the party fields are (139****4321, 420***********0012)."""
    return _until_clean(text, lambda found: found.masked)


def remove(text: str, placeholder: str) -> str:
    """The text with every number replaced by ``placeholder``."""
    return _until_clean(text, lambda _found: placeholder)


def searchable(text: str) -> str:
    """What a search without the right to see personal data may match: phones by their tails only."""
    return _until_clean(text, lambda found: f" {found.tail} " if found.tail else " ")


def phone_tail(phone: str | None) -> str:
    """The last four digits of a stored phone's number (not its area code, not its extension)."""
    parts = fold(phone or "").strip().split("-")
    number = parts[1] if len(parts) > 1 and parts[0].startswith("0") else parts[0]
    return re.sub(r"[^0-9]", "", number)[-4:]


_ADDRESS_BREAK = re.compile(r"号楼|[栋幢楼]")


def address_shown(address: str | None) -> str:
    """The part of a person's address anyone may see: up to the building, never the flat."""
    text = fold(address or "").strip()
    found = _ADDRESS_BREAK.search(text)
    if found:
        return text[: found.end()]
    # A very short address would otherwise be shown whole.
    return text[: 6 if len(text) > 6 else len(text) // 2]
