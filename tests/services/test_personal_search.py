"""Search cannot be used to get around masking.

A 查看 user sees a phone as ``138****5678`` and no ID number at all. Before,
the search text held the full numbers and answered any role, so a viewer got
the hidden middle of a phone back in about twenty searches (1380, 1381, ... one
digit at a time) and could ask whether a given ID number was in the register.
These tests run that attack through the very calls the register window makes
(``listing.first_page``, ``page``, ``count``), on SQLite with and without its
indexes and on PostgreSQL, and show that a viewer learns nothing beyond the
tail while a clerk, who may see the numbers, still finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from account_helpers import as_role
from service_helpers import add_mediator, assign_lead, person, register_case

from wuye_desktop.models import PartyRole, Role
from wuye_desktop.services import cases
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases import search
from wuye_desktop.services.context import Context

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
FACTS_PHONE = "+86 139 8765 4321"
FACTS_ID = "420106 19850612 0012"
DIGITS = "0123456789"


def search_paths(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each way this register answers a search: on SQLite its FTS5 indexes, then the scan a SQLite
    without FTS5 runs; PostgreSQL always scans."""
    if not ctx.db.is_sqlite:
        yield "scanned (PostgreSQL)"
        return
    yield "indexed"
    key = search._key(ctx.db.engine)
    monkeypatch.setitem(search._fts_available, key, False)
    monkeypatch.setitem(search._chars_available, key, False)
    yield "scanned"


def _register(ctx: Context) -> dict[str, int]:
    target = register_case(
        ctx, summary="楼上卫生间漏水", facts=f"张三另留电话{FACTS_PHONE}，其妻身份证{FACTS_ID}，住3栋2单元501室",
        parties=[person("张三", id_number=ID_NUMBER, phone=PHONE, address="锦绣花园3号楼1单元502室", room="1单元502室"),
                 person("李四", role=PartyRole.RESPONDENT, phone="13900005678")])
    # Other cases whose phones end in the same four digits, and one that does not.
    same_tail = [register_case(ctx, summary="噪声扰民", parties=[person(name, phone=phone)]).id
                 for name, phone in (("王五", "15000005678"), ("赵六", "18611115678"))]
    other = register_case(ctx, summary="停车位纠纷", parties=[person("钱七", phone="13700001111")]).id
    return {"target": target.id, "tail_a": same_tail[0], "tail_b": same_tail[1], "other": other}


def answer(ctx: Context, query: str) -> tuple[frozenset[int], int]:
    """What the register window tells its user for a search: the cases listed and how many, in two orders."""
    f = register.CaseFilter(text=query)
    first, total = register.first_page(ctx, f, 1000)
    assert register.count(ctx, f) == total == len(register.page(ctx, f, 0, 1000))
    by_risk, risk_total = register.first_page(ctx, f, 1000, sort="risk")
    assert {r.id for r in by_risk} == {r.id for r in first} and risk_total == total
    return frozenset(r.id for r in first), total


def recover_middle(ctx: Context, shown: str, case_id: int) -> tuple[str, int]:
    """The attack: extend the known first digits one digit at a time while exactly one digit finds the case."""
    prefix, queries = shown.split("*")[0], 0
    while len(prefix) < 11:
        hits = []
        for digit in DIGITS:
            queries += 1
            if case_id in answer(ctx, prefix + digit)[0]:
                hits.append(digit)
        if len(hits) != 1:
            break
        prefix += hits[0]
    return prefix, queries


def test_a_viewer_recovers_nothing_of_a_masked_phone_digit_by_digit(ctx: Context,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _register(ctx)
    viewer = as_role(ctx, Role.VIEWER)
    shown = cases.get(viewer, ids["target"]).parties[0].phone
    assert shown == "138****5678"
    for path in search_paths(ctx, monkeypatch):
        _attack_the_phone(ctx, viewer, shown, ids, path)


def _attack_the_phone(ctx: Context, viewer: Context, shown: str, ids: dict[str, int], path: str) -> None:
    learned, queries = recover_middle(viewer, shown, ids["target"])
    assert learned == "138" and queries == 10, f"{path}: no first digit narrows anything"
    # Every guess gets the same answer, so the answers carry nothing about the hidden digits.
    for known in ("138", "1381", "13812", "138123", "1381234"):
        answers = {answer(viewer, known + d) for d in DIGITS}
        assert answers == {(frozenset(), 0)}, f"{path}: {known}"
    # Nor from the other end: a fifth-last digit before the tail.
    assert {answer(viewer, d + "5678") for d in DIGITS} == {(frozenset(), 0)}, path
    # What the screen shows still finds the case: the tail.
    assert answer(viewer, "5678")[0] == {ids["target"], ids["tail_a"], ids["tail_b"]}, path
    assert answer(viewer, FACTS_PHONE[-4:])[0] == {ids["target"]}, f"{path}: a phone typed in 纠纷事实, by its tail"

    # The same attack by a clerk, who may see the number, gets it back: the test attacks for real.
    clerk = as_role(ctx, Role.CLERK)
    learned, queries = recover_middle(clerk, shown, ids["target"])
    assert learned == PHONE and queries <= 80, path


def test_a_viewer_cannot_tell_whether_an_id_number_is_in_the_register(ctx: Context,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _register(ctx)
    viewer, clerk = as_role(ctx, Role.VIEWER), as_role(ctx, Role.CLERK)
    spelled = [ID_NUMBER, ID_NUMBER.lower(), ID_NUMBER[:-1], FACTS_ID.replace(" ", ""), *FACTS_ID.split()]
    runs = {number[i:j] for number in (ID_NUMBER, FACTS_ID.replace(" ", ""))
            for i in range(len(number)) for j in range(i + 5, len(number) + 1)}
    for path in search_paths(ctx, monkeypatch):
        for query in [*spelled, *sorted(runs)]:
            assert answer(viewer, query) == (frozenset(), 0), f"{path}: {query}"
        assert answer(clerk, ID_NUMBER)[0] == {ids["target"]}, f"{path}: the clerk still finds the party by ID number"
        assert answer(clerk, FACTS_ID.split()[1])[0] == {ids["target"]}, f"{path}: ... and by the one in 纠纷事实"

    def related(user: Context) -> list[int]:
        return [r.row.id for r in register.related_open(user, id_numbers=[ID_NUMBER], names=[], building_id=None,
                                                        property_company_id=None)]

    assert related(viewer) == [] and related(clerk) == [ids["target"]]


def test_a_viewer_finds_cases_by_what_the_screen_shows(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _register(ctx)
    viewer = as_role(ctx, Role.VIEWER)
    for path in search_paths(ctx, monkeypatch):
        for query in ("张三", "漏水", "锦绣花园3号楼", "5678 漏水", "张三 5678"):
            assert ids["target"] in answer(viewer, query)[0], f"{path}: {query}"
        for query in ("1单元502", "502室", "2单元501", "501"):  # the flat is masked on screen
            assert answer(viewer, query) == (frozenset(), 0), f"{path}: {query}"
            assert ids["target"] in answer(ctx, query)[0], f"{path}: {query}: the administrator finds it"


def test_a_mediator_searches_personal_data_on_their_own_cases_only(ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _register(ctx)
    mine = add_mediator(ctx, "李桂兰")
    assign_lead(ctx, ids["tail_a"], mine)
    mediator = as_role(ctx, Role.MEDIATOR, mediator_id=mine)
    for path in search_paths(ctx, monkeypatch):
        assert answer(mediator, "15000005678")[0] == {ids["tail_a"]}, f"{path}: their own case, by the full phone"
        assert answer(mediator, PHONE) == (frozenset(), 0), f"{path}: someone else's case: not by the hidden digits"
        assert answer(mediator, "5678")[0] == {ids["target"], ids["tail_a"], ids["tail_b"]}, path
        assert answer(mediator, "噪声 15000005678")[0] == {ids["tail_a"]}, f"{path}: two words, one personal"
        assert answer(mediator, f"漏水 {PHONE}") == (frozenset(), 0), path


def test_every_search_path_answers_a_viewer_alike(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The indexes and the scan give a viewer the same answers (the scan is what PostgreSQL runs)."""
    ids = _register(ctx)
    viewer = as_role(ctx, Role.VIEWER)
    queries = ["5678", "138", "1381", PHONE, ID_NUMBER, "张", "张三", "漏水 5678", "4321", "87654321", "-4321", "3号楼"]
    indexed = {q: answer(viewer, q) for q in queries}
    key = search._key(ctx.db.engine)
    monkeypatch.setitem(search._fts_available, key, False)
    monkeypatch.setitem(search._chars_available, key, False)
    scanned: dict[str, Any] = {q: answer(viewer, q) for q in queries}
    assert indexed == scanned
    assert indexed["5678"][0] == {ids["target"], ids["tail_a"], ids["tail_b"]}
