"""The one detector of personal numbers: every way clerks type a phone, an ID number or a flat is
masked, and case numbers, dates, amounts, article numbers and credit codes stay as typed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wuye_desktop.storage import redact

# (as typed into 简要案情 / 纠纷事实 / a record, as every masked place shows it)
PERSONAL = [
    # mobiles
    ("联系电话13912345678", "联系电话139****5678"),
    ("+86 139 8765 4321", "139****4321"),
    ("+86-139-8765-4321", "139****4321"),
    ("+8613987654321", "139****4321"),
    ("0086 13987654321", "139****4321"),
    ("(+86)13987654321", "139****4321"),
    ("（+86）139 8765 4321", "139****4321"),
    ("139-8765-4322", "139****4322"),
    ("139 8765 4322", "139****4322"),
    ("139.8765.4322", "139****4322"),
    ("1398 7654 322", "139****4322"),
    ("１３９８７６５４３２３", "139****4323"),
    ("１３９－８７６５－４３２３", "139****4323"),
    ("手机:15012345678，微信同号", "手机:150****5678，微信同号"),
    ("Tel:13812345678", "Tel:138****5678"),
    ("手机号是18612345678。", "手机号是186****5678。"),
    ("张三（13812345678）与李四（13987654321）", "张三（138****5678）与李四（139****4321）"),
    ("电话13812345678 2026年11月20日来访", "电话138****5678 2026年11月20日来访"),
    ("19912345678", "199****5678"),
    # landlines, with area codes and extensions
    ("010-88776655", "010-****6655"),
    ("0714-6228899", "0714-****8899"),
    ("(0714)6228899", "0714-****8899"),
    ("（0714）6228899", "0714-****8899"),
    ("物业座机0714-6228899转123", "物业座机0714-****8899"),
    ("027-8877-6655", "027-****6655"),
    ("+86 10 8877 6655", "010-****6655"),
    ("+86-714-6228899", "0714-****8899"),
    ("02788776655", "027-****6655"),
    ("0714 6228899-8001", "0714-****8899"),
    ("座机０７１４－６２２８８９９", "座机0714-****8899"),
    ("0571-88776655 ext.12", "0571-****6655"),
    # ID numbers: 18 and 15 digits, spaced, hyphenated, full-width, with x or X
    ("420106198506120012", "420***********0012"),
    ("身份证42010619850612001X", "身份证420***********001X"),
    ("身份证号42010619850612001x。", "身份证号420***********001X。"),
    ("420106 19850612 0012", "420***********0012"),
    ("4201 0619 8506 1200 12", "420***********0012"),
    ("420106-19850612-0012", "420***********0012"),
    ("４２０１０６１９８５０６１２００１Ｘ", "420***********001X"),
    ("11010519491231002X", "110***********002X"),
    ("老身份证420106850612001", "老身份证420********2001"),
    ("身份证号：420106 850612 001", "身份证号：420********2001"),
    # flats, masked as the address fields are: up to the building
    ("3栋2单元501室", "3栋****"),
    ("锦绣花园3号楼1单元502室", "锦绣花园3号楼****"),
    ("幸福里小区5栋1502", "幸福里小区5栋****"),
    ("住在2单元302", "住在****"),
    ("楼上1502室漏水", "楼上****漏水"),
    ("12栋3-2-501室", "12栋****"),
    ("A座1203房", "A座****"),
    # several in one sentence
    ("张伟峰（身份证420202198001011234，电话13812345678）住3栋2单元501室",
     "张伟峰（身份证420***********1234，电话138****5678）住3栋****"),
]

# Numbers that are not personal data: they stay exactly as typed.
NOT_PERSONAL = [
    "（2026）幸福里调字第12号",
    "(2026)幸福里调字第1234号",
    "协议编号（2026）幸福里协字第3号",
    "（2026）鄂0202民特12号",
    "1,200.50元",
    "人民币12,000元",
    "¥3500.00",
    "赔偿1200.50元，于2026-12-31前付清",
    "2026-11-20",
    "20261120",
    "2026年11月20日",
    "2026.11.20 14:30",
    "2026-11-20至2026-12-20",
    "91420200MA4K1234X5",
    "统一社会信用代码91110000600037341L",
    "依据《人民调解法》第三十三条",
    "依照第12条第2款",
    "12345热线工单GD2026112000123",
    "工单号20261120000123",
    "3号楼",
    "5栋东侧",
    "3室2厅",
    "涉及120户",
    "面积89.5平方米",
    "拨打110报警，或拨打12345",
    "邮编435000",
    "逾期每日按0.05%计",
    "共4人到场，2人缺席",
    "银行卡尾号1234",
    "第1期2000元，第2期1500元",
]


@pytest.mark.parametrize(("typed", "shown"), PERSONAL, ids=[t for t, _ in PERSONAL])
def test_every_way_of_typing_a_personal_number_is_masked(typed: str, shown: str) -> None:
    assert redact.redact(typed) == shown
    assert redact.find(typed), "found"
    assert redact.find(redact.redact(typed)) == [], "nothing left to find"


@pytest.mark.parametrize("typed", NOT_PERSONAL)
def test_case_numbers_dates_amounts_and_credit_codes_stay(typed: str) -> None:
    assert redact.find(typed) == []
    assert redact.redact(typed) == typed
    assert redact.searchable(typed) == typed


def test_the_corpus_is_big_enough() -> None:
    assert len(PERSONAL) + len(NOT_PERSONAL) >= 50
    assert {f.kind for typed, _ in PERSONAL for f in redact.find(typed)} == set(redact.Kind)


def test_a_search_keeps_only_the_phone_tails() -> None:
    text = "张三电话+86 139 8765 4321，身份证420106 19850612 0012，住3栋2单元501室，座机0714-6228899"
    assert redact.searchable(text).split() == ["张三电话", "4321", "，身份证", "，住3栋", "，座机", "8899"]


def test_remove_leaves_only_the_placeholder() -> None:
    text = "张三电话139-8765-4321，身份证42010619850612001X，住3栋2单元501室"
    assert redact.remove(text, "（已隐去）") == "张三电话（已隐去），身份证（已隐去），住3栋（已隐去）"


def test_a_stored_phones_tail_is_its_numbers_last_four() -> None:
    assert [redact.phone_tail(p) for p in ("13812345678", "0571-88776655", "0571-88776655-123", "88776655", "")] \
        == ["5678", "6655", "6655", "6655", ""]


# -- fuzzing: whatever is typed, nothing raises and nothing found is left ----------------------------

_FULL_WIDTH = str.maketrans("0123456789-()+ Xx", "０１２３４５６７８９－（）＋　ＸＸ")
_SEPARATORS = st.sampled_from(["", " ", "-", ".", " - ", "\u3000", "－"])


@st.composite
def _mobile(draw: st.DrawFn) -> str:
    digits = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                           min_size=9, max_size=9)))
    sep = draw(_SEPARATORS)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "(+86)", "（+86）"]))
    return prefix + sep.join((digits[:3], digits[3:7], digits[7:]))


@st.composite
def _id_number(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["110105", "420106", "330106", "440301", "510104"]))
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)))
    serial = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=3, max_size=3)))
    check = draw(st.sampled_from("0123456789Xx"))
    sep = draw(st.sampled_from(["", " ", "-"]))
    if draw(st.booleans()):
        return sep.join((region, f"{born:%Y%m%d}", serial + check))
    return sep.join((region, f"{born:%y%m%d}", serial))  # the old 15-digit number


@st.composite
def _landline(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["010", "027", "0714", "0571", "(0714)", "（010）"]))
    local = draw(st.sampled_from("2345678")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                     min_size=6, max_size=7)))
    extension = draw(st.sampled_from(["", "转123", "-8001", "#12"]))
    return area + draw(st.sampled_from(["", "-", " "])) + local + extension


_NUMBERS = st.one_of(_mobile(), _id_number(), _landline())
_FILLER = st.one_of(
    st.sampled_from(["张三", "联系电话", "身份证", "，", "。", "住3栋", "2单元501室", "（2026）幸福里调字第12号",
                     "1,200.50元", "2026-11-20", "20261120", "第12条", " ", "\n", "+", "-", "(", "）"]),
    st.text(alphabet="0123456789０１２３４５６７８９ -.+()Xx转#栋单元室号楼", max_size=8),
    st.text(max_size=6),
)


@st.composite
def _typed(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Free text as a clerk types it, and the personal numbers put into it."""
    pieces: list[str] = []
    numbers: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            number = draw(_NUMBERS)
            if draw(st.booleans()):
                number = number.translate(_FULL_WIDTH)
            numbers.append(number)
            pieces += [draw(st.sampled_from(["电话", "，", "（", "：", " "])), number,
                       draw(st.sampled_from(["。", "）", "，", " "]))]
        else:
            pieces.append(draw(_FILLER))
    return "".join(pieces), numbers


@settings(max_examples=400, deadline=None)
@given(_typed())
def test_fuzz_nothing_raises_and_no_number_survives(typed: tuple[str, list[str]]) -> None:
    text, numbers = typed
    for result in (redact.redact(text), redact.searchable(text), redact.remove(text, "（已隐去）")):
        assert redact.find(result) == [], result
        for number in numbers:
            assert number not in result, (number, result)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_any_text_at_all(text: str) -> None:
    for result in (redact.redact(text), redact.searchable(text), redact.remove(text, "*")):
        assert redact.find(result) == []
