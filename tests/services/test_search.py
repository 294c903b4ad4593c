"""Finding a case by whatever the clerk remembers: a surname, a name, a phone tail, the estate, the number."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import TODAY, add_estate, company, person, register_case

from wuye_desktop.models import PartyKind, PartyRole
from wuye_desktop.services import cases, demo, reference
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases import search
from wuye_desktop.services.cases.listing import CaseFilter
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.demo import content
from wuye_desktop.services.safety.opening import open_register

ZHANG_ID = "11010519491231002X"

# (query, labels of the cases it must find): the cases are registered by ``_register_handful``.
QUERIES = [
    ("张", {"zhang_san", "zhang_wei"}),  # one character: a surname
    ("张三", {"zhang_san"}),  # two characters: the commonest kind of query
    ("漏水", {"zhang_san", "leak_upstairs"}),
    ("锦绣花园", {"zhang_san", "zhao_liu"}),  # 3+ characters: the trigram index on SQLite
    ("王五芳", {"li_si"}),
    ("5678", {"zhang_san", "zhao_liu"}),  # phone tail
    ("002X", {"zhang_san"}),  # ID number tail
    ("002x", {"zhang_san"}),  # ... typed with a lower-case x, as the ID field accepts
    ("张 漏水", {"zhang_san"}),  # two words: both must be there
    ("锦绣花园 物业费", {"zhao_liu"}),
    ("漏水 李", {"leak_upstairs"}),
    ("安居物业", {"zhang_san", "zhao_liu"}),  # the estate's property company
    ("　王五芳　", {"li_si"}),  # full-width spaces from a Chinese input method
    ("欧阳", set()),
    ("不存在的内容", set()),
    ("张三 阳光水岸", set()),
]


def _register_handful(ctx: Context) -> dict[str, int]:
    jinxiu = add_estate(ctx, "锦绣花园", "安居物业服务有限公司", 1, buildings=("3号楼",))
    yangguang = add_estate(ctx, "阳光水岸", "锦程物业管理有限公司", 2)
    refs = {
        "zhang_san": register_case(
            ctx, summary="楼上卫生间漏水致天花板受损", facts="自2026年9月起，楼上卫生间漏水，楼下天花板发霉",
            estate_id=jinxiu.estate_id, building_id=jinxiu.buildings["3号楼"],
            parties=[person("张三", id_number=ZHANG_ID, phone="13812345678"),
                     person("孙七", role=PartyRole.RESPONDENT, phone="13900000001")]),
        "li_si": register_case(
            ctx, summary="深夜装修噪声扰民", estate_id=yangguang.estate_id,
            parties=[person("李四", phone="13987654321"),
                     person("王五芳", role=PartyRole.RESPONDENT, phone="13611112222")]),
        "zhang_wei": register_case(
            ctx, summary="停车位被长期占用", estate_id=yangguang.estate_id,
            parties=[person("张伟", phone="15000001111"), person("周八", role=PartyRole.RESPONDENT)]),
        "zhao_liu": register_case(
            ctx, summary="物业费收取标准争议", estate_id=jinxiu.estate_id,
            parties=[person("赵六", phone="13700005678"),
                     company("安居物业服务有限公司", "91110000600037341L")]),
        "leak_upstairs": register_case(
            ctx, summary="阳台漏水", facts="李某家阳台漏水渗入楼下",
            parties=[person("钱多多", phone="18611223344"), person("吴九", role=PartyRole.RESPONDENT)]),
    }
    return {label: ref.id for label, ref in refs.items()}


def found(ctx: Context, query: str) -> set[int]:
    """The ids ``register`` lists for ``query``, checking count() and the first screen agree with the page."""
    f = CaseFilter(text=query)
    rows = register.page(ctx, f, 0, 100_000)
    assert register.count(ctx, f) == len(rows)
    first, total = register.first_page(ctx, f, 100_000)
    assert total == len(rows) and [r.id for r in first] == [r.id for r in rows], "first screen = page 0"
    return {row.id for row in rows}


def all_results(ctx: Context, queries: list[str]) -> dict[str, set[int]]:
    return {q: found(ctx, q) for q in queries}


def uses_fts(ctx: Context) -> bool:
    with ctx.db.reading() as session:
        return search.uses_index(session)


def uses_chars(ctx: Context) -> bool:
    with ctx.db.reading() as session:
        return search.uses_char_index(session)


def drop_char_index(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    with ctx.db.writing() as session:
        session.connection().exec_driver_sql(f"DROP TABLE {search.CHAR_TABLE}")
    monkeypatch.delitem(search._chars_available, search._key(ctx.db.engine))
    assert not uses_chars(ctx)


def fall_back_to_scan(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a Python without FTS5 gives: no index table, and the register knows it."""
    drop_char_index(ctx, monkeypatch)
    with ctx.db.writing() as session:
        session.connection().exec_driver_sql(f"DROP TABLE {search.FTS_TABLE}")
    monkeypatch.delitem(search._fts_available, search._key(ctx.db.engine))
    assert not uses_fts(ctx)


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> Iterator[Context]:
    """A SQLite register whatever the backend: the FTS5 index only exists there."""
    db = open_register(data_dir=str(tmp_path / "sqlite-only"))
    yield Context(db, User("王晓燕"), today_override=TODAY)
    db.dispose()


# -- a handful of cases ---------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_finds_exactly_the_cases_holding_the_text(ctx: Context, query: str, expected: set[str]) -> None:
    ids = _register_handful(ctx)
    assert found(ctx, query) == {ids[label] for label in expected}


def test_search_by_case_number(ctx: Context) -> None:
    ids = _register_handful(ctx)
    for _ in range(8):  # enough cases that 第1号 and 第11号 both exist
        register_case(ctx, summary="其他纠纷")
    for case_id in ids.values():
        number = cases.get(ctx, case_id).number
        assert found(ctx, number) == {case_id}, number
    first = cases.find(ctx, "（2026）某某调字第1号")
    assert found(ctx, "调字第1号") == {first.id}, "第1号 must not also find 第11号"


def test_empty_query_lists_every_case(ctx: Context) -> None:
    ids = _register_handful(ctx)
    assert found(ctx, "") == found(ctx, "  \u3000 ") == set(ids.values())


def test_search_combines_with_other_filters(ctx: Context) -> None:
    ids = _register_handful(ctx)
    jinxiu = next(c.id for c in reference.estates(ctx) if c.name == "锦绣花园")
    assert {r.id for r in register.page(ctx, CaseFilter(text="漏水", estate_id=jinxiu), 0, 50)} == {ids["zhang_san"]}


def test_sqlite_register_uses_the_trigram_index(sqlite_ctx: Context) -> None:
    """This machine's SQLite has FTS5: the scan-free path is the one being tested above."""
    _register_handful(sqlite_ctx)
    assert uses_fts(sqlite_ctx)


def test_results_are_identical_without_the_fts_index(sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _register_handful(sqlite_ctx)
    queries = [q for q, _ in QUERIES] + [cases.get(sqlite_ctx, i).number for i in ids.values()]
    with_index = all_results(sqlite_ctx, queries)
    fall_back_to_scan(sqlite_ctx, monkeypatch)
    without_index = all_results(sqlite_ctx, queries)
    assert without_index == with_index
    for query, expected in QUERIES:
        assert without_index[query] == {ids[label] for label in expected}, query
    # Cases registered while the index is missing are found too.
    late = register_case(sqlite_ctx, summary="锦绣花园飞线充电", parties=[person("张三丰")]).id
    assert found(sqlite_ctx, "锦绣花园") == with_index["锦绣花园"] | {late}
    assert found(sqlite_ctx, "张三") == with_index["张三"] | {late}


def test_short_words_use_the_character_index_and_agree_with_the_scan(
    sqlite_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _register_handful(sqlite_ctx)
    assert uses_chars(sqlite_ctx)
    with sqlite_ctx.db.reading() as session:
        sql = str(search.matching_case_ids(session, "漏水"))
    assert search.CHAR_TABLE in sql and "instr" not in sql, "a two-character word is answered by the index"
    queries = [q for q, _ in QUERIES] + ["张", "三", "水", "5", "x", "-1", "（", "楼 水", "损自", "起楼", "霉张"]
    with_index = all_results(sqlite_ctx, queries)
    drop_char_index(sqlite_ctx, monkeypatch)
    assert all_results(sqlite_ctx, queries) == with_index
    assert with_index["张"] == {ids["zhang_san"], ids["zhang_wei"]}
    assert with_index["损自"] == with_index["起楼"] == set(), "the ends of two words that meet: not a word"


def test_the_character_index_follows_every_edit(sqlite_ctx: Context) -> None:
    from wuye_desktop.services.cases import editing as case_edit
    from wuye_desktop.services.cases.editing import CaseEdit

    ids = _register_handful(sqlite_ctx)
    leak = ids["leak_upstairs"]
    detail = cases.get(sqlite_ctx, leak)
    edit = CaseEdit(summary="阳台堆放杂物", facts="钱某在公共阳台堆放杂物", source=detail.source,
                    source_ref=detail.source_ref, official_type=detail.official_type, risk=detail.risk)
    case_edit.update_case(sqlite_ctx, leak, edit, detail.version)
    assert found(sqlite_ctx, "漏水") == {ids["zhang_san"]}, "the old words are gone from the index"
    assert found(sqlite_ctx, "杂物") == found(sqlite_ctx, "堆") == {leak}
    late = register_case(sqlite_ctx, summary="电梯停运", parties=[person("欧阳娜")]).id
    assert found(sqlite_ctx, "欧阳") == {late} and found(sqlite_ctx, "梯") == {late}


def test_a_register_without_the_character_index_gets_it_when_opened(tmp_path: Path) -> None:
    db = open_register(data_dir=str(tmp_path / "old"))
    ctx = Context(db, User("王晓燕"), today_override=TODAY)
    ids = _register_handful(ctx)
    with db.writing() as session:  # as a register from before the index has it
        session.connection().exec_driver_sql(f"DROP TABLE {search.CHAR_TABLE}")
    db.dispose()
    search._chars_available.clear()
    db = open_register(data_dir=str(tmp_path / "old"))
    try:
        ctx = Context(db, User("王晓燕"), today_override=TODAY)
        assert uses_chars(ctx)
        assert found(ctx, "张") == {ids["zhang_san"], ids["zhang_wei"]} and found(ctx, "漏水") == {
            ids["zhang_san"], ids["leak_upstairs"]}
    finally:
        db.dispose()


# -- a demo register of 300 cases, against an independent scan ------------------------------------


def _names_by_case(ctx: Context, case_ids: list[int]) -> dict[int, list[str]]:
    return {i: [p.name for p in cases.get(ctx, i).parties] for i in case_ids}


def _demo_text_besides_names() -> str:
    """Words a demo case's searchable text holds besides its parties' names: places and story templates."""
    stories = [t for summary, facts, _c, _a in content.SUBTYPE_STORIES.values() for t in (summary, facts)]
    return " ".join([content.STREET, *content.COMMUNITIES, *(e for e, _n in content.ESTATES),
                     *content.COMPANIES, *stories])


def _demo_queries(names: dict[int, list[str]], length: int, top: int = 6) -> list[str]:
    """The commonest person-name prefixes of ``length`` characters that occur nowhere but in names."""
    elsewhere = _demo_text_besides_names()
    prefixes = Counter(n[:length] for ns in names.values() for n in ns
                       if len(n) >= length and "公司" not in n)
    return [p for p, _c in prefixes.most_common() if p not in elsewhere][:top]


@pytest.mark.slow
def test_demo_register_search_matches_an_independent_scan(ctx: Context) -> None:
    demo.generate(ctx, 300, seed=3)
    every = register.page(ctx, CaseFilter(), 0, 10_000)
    assert len(every) == register.count(ctx, CaseFilter()) == 300
    names = _names_by_case(ctx, [r.id for r in every])
    two = _demo_queries(names, 2)
    three = _demo_queries(names, 3)
    assert len(two) == 6 and len(three) >= 3
    for query in [*two, *three]:
        expected = {i for i, ns in names.items() if any(query in n for n in ns)}
        assert expected, query
        assert found(ctx, query) == expected, query


def test_company_party_found_by_credit_code(ctx: Context) -> None:
    ids = _register_handful(ctx)
    assert found(ctx, "91110000600037341L") == {ids["zhao_liu"]}
    assert cases.get(ctx, ids["zhao_liu"]).parties[1].kind is PartyKind.COMPANY
