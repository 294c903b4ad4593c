"""Checks and normalises what clerks type into forms, before anything is saved.

Every parser takes the raw text of one field and either returns the value in
the single form the register stores, or raises ``ValidationError`` keyed by
``field`` so the form can show the Chinese message beside that field. Input
typed with a Chinese IME often arrives in full-width form (１２３, Ｘ, ，．) or
padded with ideographic spaces, so all parsers fold those to ASCII first.

No Qt and no database here: the same rules serve forms, imports and tests.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

from wuye_desktop.errors import ValidationError
from wuye_desktop.storage import redact

__all__ = [
    "amount",
    "birth_date_from_id",
    "credit_code",
    "day_within",
    "gender_from_id",
    "is_mobile",
    "mask_address",
    "mask_id",
    "mask_phone",
    "mask_text",
    "parse_date",
    "parse_month",
    "phone",
    "resident_id",
    "small_whole_number",
]
# The largest id or sequence number a register stores (PostgreSQL's integer).
_LARGEST_NUMBER = 2**31 - 1

# Full-width ASCII block (！ to ～) sits at a fixed offset from ASCII; the
# ideographic space and the full-width yen sign are outside that block.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = ord(" ")
_FULL_WIDTH[0xFFE5] = ord("¥")

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# GB 32100-2015 leaves out I, O, Z, S and V so they cannot be misread as 1, 0, 2, 5, U.
_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Only Beijing (010) and 02x have three-digit area codes; all others have four.
# Fixing that removes the ambiguity of an unseparated "01088776655".
_LANDLINE = re.compile(
    r"(?:\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?)?([2-9][0-9]{6,7})"
    r"(?:(?:-|转|#|ext\.?|x)([0-9]{1,6}))?",
    re.IGNORECASE,
)
_DATE_FORMS = (
    re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    re.compile(r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[日号]?"),
)
_MONTH_FORMS = (
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})([0-9]{2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月?"),
)
_AMOUNT = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]*))?")
_AMOUNT_LIMIT = Decimal(10) ** 12
_CENT = Decimal("0.01")


def _normalise(value: str | None) -> str:
    """Fold IME full-width input to ASCII so the rules below only see one alphabet."""
    return (value or "").translate(_FULL_WIDTH).strip()


def _compact(value: str | None) -> str:
    """Drop the spaces and hyphens people type to group long numbers."""
    return re.sub(r"[\s\-]", "", _normalise(value))


def resident_id(value: str, *, field: str = "id_number", today: date | None = None) -> str:
    """Accept an 18-character resident ID, or say precisely which part is wrong.

    The birth date is checked before the check character because a clerk can
    fix "month 13" at a glance, whereas "checksum wrong" sends them hunting.
    The area code is not checked: stdnum's table rejects real numbers (Hainan
    residents born before 1988, Hong Kong/Macao/Taiwan residence permits).
    """
    number = ric.compact(_compact(value))
    if not number:
        raise ValidationError.single(field, "请填写身份证号码（18位）")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise ValidationError.single(field, "这是15位旧身份证号码，已停止使用，请填写18位身份证号码")
    if len(number) != 18:
        raise ValidationError.single(field, f"身份证号码应为18位，现在填了{len(number)}位")
    if not _ID_SHAPE.fullmatch(number):
        raise ValidationError.single(field, "身份证号码只能是数字，最后一位可以是X")
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = date(year, month, day)
    except ValueError:
        birth = None
    if birth is None or year < 1900:
        raise ValidationError.single(field, f"身份证号码中的出生日期{shown}不存在，请核对第7至14位")
    if birth > (today or date.today()):
        raise ValidationError.single(field, f"身份证号码中的出生日期{shown}晚于今天，请核对第7至14位")
    try:
        ric.validate(number)
    except InvalidChecksum:
        raise ValidationError.single(field, "身份证号码校验位不正确，请核对最后一位") from None
    except InvalidComponent:
        pass  # unknown area code only; see docstring
    except StdnumError:
        raise ValidationError.single(field, "身份证号码格式不正确，请核对") from None
    return number


def birth_date_from_id(id_number: str, *, field: str = "id_number") -> date:
    """Birth date for age-dependent rules; validates first so a typo cannot yield a wrong age."""
    return ric.get_birth_date(resident_id(id_number, field=field))


def gender_from_id(id_number: str, *, field: str = "id_number") -> str:
    """男 or 女 from the sequence code (odd = 男), so clerks need not ask or type it."""
    return "男" if int(resident_id(id_number, field=field)[16]) % 2 else "女"


def credit_code(value: str, *, field: str = "credit_code") -> str:
    """Accept an 18-character unified social credit code of a company or owners' committee."""
    code = uscc.compact(_compact(value))
    if not code:
        raise ValidationError.single(field, "请填写统一社会信用代码（18位）")
    if len(code) != 18:
        raise ValidationError.single(field, f"统一社会信用代码应为18位，现在填了{len(code)}位")
    bad = "".join(dict.fromkeys(c for c in code if c not in _USCC_ALPHABET))
    if bad:
        raise ValidationError.single(
            field, f"统一社会信用代码中不能有“{bad}”：只用数字和大写字母，不用I、O、Z、S、V"
        )
    if not code[:8].isdigit():
        raise ValidationError.single(field, "统一社会信用代码前8位应为数字")
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise ValidationError.single(field, "统一社会信用代码校验位不正确，请核对最后一位") from None
    except StdnumError:
        raise ValidationError.single(field, "统一社会信用代码格式不正确，请核对") from None
    return code


def phone(value: str, *, field: str = "phone") -> str:
    """Store one spelling per number, so searching by phone finds the same party.

    Mobiles become 11 bare digits; landlines become "区号-号码[-分机]".
    """
    text = _normalise(value)
    if not text:
        raise ValidationError.single(field, "请填写电话号码")
    digits = _compact(text)
    digits = digits.removeprefix("+86") if digits.startswith("+86") else digits.removeprefix("0086")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    landline = _LANDLINE.fullmatch(re.sub(r"\s", "", text)) or _LANDLINE.fullmatch(digits)
    if landline:
        area, local, extension = landline.groups()
        return "-".join(part for part in (area, local, extension) if part)
    if digits.isascii() and digits.isdigit() and digits.startswith("1"):
        if len(digits) != 11:
            raise ValidationError.single(field, f"手机号码应为11位数字，以1开头，现在填了{len(digits)}位")
        raise ValidationError.single(field, "手机号码第二位应为3至9，请核对")
    raise ValidationError.single(
        field, "电话号码格式不正确：手机填11位数字（如13812345678），座机填区号加号码（如0571-88776655）"
    )


def is_mobile(value: str) -> bool:
    """Whether an SMS reminder can be sent to this number."""
    try:
        return _MOBILE.fullmatch(phone(value)) is not None
    except ValidationError:
        return False


def parse_date(value: str, *, field: str = "date") -> date:
    """Accept the ways dates are written on Chinese paperwork, one ``date`` out."""
    text = re.sub(r"\s", "", _normalise(value))
    if not text:
        raise ValidationError.single(field, "请填写日期，例如 2026-10-05")
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise ValidationError.single(
                    field, f"日期“{text}”不存在，请核对月份和日子，例如 2026-10-05"
                ) from None
    raise ValidationError.single(field, f"日期“{text}”无法识别，请按年-月-日填写，例如 2026-10-05")


def day_within(day: date, earliest: date, latest: date, *, field: str, what: str, hint: str = "") -> date:
    """``day`` if it lies from ``earliest`` to ``latest``; else a message naming ``what`` and the range allowed."""
    if earliest <= day <= latest:
        return day
    text = f"{what}{_chinese_day(day)}不在合理的范围内：应在{_chinese_day(earliest)}至{_chinese_day(latest)}之间"
    if day < earliest and hint:
        text += f"。{hint}"
    raise ValidationError.single(field, text)


def _chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def small_whole_number(value: str) -> int | None:
    """A number as typed for an id or a sequence number (12), or None when it is not one the register can hold."""
    text = _normalise(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if number <= _LARGEST_NUMBER else None


def parse_month(value: str, *, field: str = "month") -> tuple[int, int]:
    """Accept a billing month (property fees are charged per month) as (year, month)."""
    text = re.sub(r"\s", "", _normalise(value))
    if not text:
        raise ValidationError.single(field, "请填写月份，例如 2026-10")
    for form in _MONTH_FORMS:
        match = form.fullmatch(text)
        if match:
            year, month = int(match[1]), int(match[2])
            if year >= 1 and 1 <= month <= 12:
                return year, month
            raise ValidationError.single(field, f"月份“{text}”不存在，月份应为1至12，例如 2026-10")
    raise ValidationError.single(field, f"月份“{text}”无法识别，请按年-月填写，例如 2026-10")


def amount(value: str, *, field: str = "amount", allow_empty: bool = True) -> Decimal | None:
    """Parse money in 元 exactly (Decimal, to the 分), as fee arrears are summed and printed.

    Thousands separators must be in the right places: "1,5" is more likely a
    typo than fifteen 元, and guessing would put a wrong sum on an agreement.
    """
    text = re.sub(r"\s", "", _normalise(value))
    if not text:
        if allow_empty:
            return None
        raise ValidationError.single(field, "请填写金额（元），例如 1234.50")
    if text.lstrip("¥").startswith("-"):
        raise ValidationError.single(field, "金额不能为负数")
    match = _AMOUNT.fullmatch(text.removeprefix("¥").removesuffix("元"))
    if not match:
        raise ValidationError.single(field, f"金额“{text}”不是有效数字，请填写如 1234.50")
    whole, fraction = match[1].replace(",", ""), (match[2] or "").rstrip("0")
    if len(fraction) > 2:
        raise ValidationError.single(field, "金额最多两位小数（精确到分）")
    result = Decimal(f"{whole}.{fraction or '0'}")
    if result >= _AMOUNT_LIMIT:
        raise ValidationError.single(field, "金额过大，应小于1万亿元，请核对")
    return result.quantize(_CENT)


def mask_phone(s: str | None) -> str:
    """Hide the middle of a number on screens and printouts others may see."""
    text = _normalise(s)
    if not text:
        return ""
    try:
        number = phone(text)
    except ValidationError:
        return "****" + text[-4:] if len(text) > 4 else "*" * len(text)
    if _MOBILE.fullmatch(number):
        return f"{number[:3]}****{number[-4:]}"
    parts = number.split("-")
    if len(parts[0]) >= 7:  # no area code: the first part is the local number
        return f"****{parts[0][-4:]}"
    return f"{parts[0]}-****{parts[1][-4:]}"


def mask_id(s: str | None) -> str:
    """Keep enough of an ID (region, last 4) to tell parties apart, not to reuse it."""
    text = _compact(s).upper()
    if len(text) <= 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


def mask_address(s: str | None) -> str:
    """Show the estate and building, which mediation needs, but not the flat."""
    text = _normalise(s)
    return redact.address_shown(text) + "****" if text else ""


def mask_text(s: str | None) -> str:
    """Free text (简要案情, records, clauses, notes) with every phone, ID number and flat in it masked.

    The one detector is ``storage/redact.py``, which logs and the exchange file use too.
    """
    return redact.redact(s or "")
