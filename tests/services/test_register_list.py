"""The register as a list: each filter returns exactly its cases, pages cover the list, related open cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from service_helpers import (
    TODAY,
    Place,
    add_estate,
    add_mediator,
    assign_lead,
    draft_agreement,
    person,
    register_case,
    resident_id,
)

from wuye_desktop.models import CaseSource, CaseStatus, PartyRole, RiskColour
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.listing import SORT_COLUMNS, CaseFilter
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.context import Context

S = CaseStatus
ZHANG_ID = resident_id("19650312", serial=451)


@dataclass
class Room:
    """A small register: two estates, two mediators, six cases in different states (labels a..f)."""

    jinxiu: Place
    yangguang: Place
    li: int  # mediator 李桂兰
    zhou: int  # mediator 周建国
    ids: dict[str, int]

    def of(self, *labels: str) -> set[int]:
        return {self.ids[label] for label in labels}


def build_room(ctx: Context) -> Room:
    jinxiu = add_estate(ctx, "锦绣花园", "安居物业服务有限公司", 1)
    yangguang = add_estate(ctx, "阳光水岸", "锦程物业管理有限公司", 2)
    li, zhou = add_mediator(ctx, "李桂兰"), add_mediator(ctx, "周建国")

    def case(day: str, place: Place, building: str | None, source: CaseSource, risk: RiskColour,
             applicant: str = "", applicant_id: str | None = None) -> int:
        return register_case(
            ctx, summary=f"{place.estate_id}号小区纠纷", registered_on=day, source=source, risk=risk,
            estate_id=place.estate_id, building_id=place.buildings[building] if building else None,
            parties=[person(applicant or "赵一", id_number=applicant_id),
                     person("钱二", role=PartyRole.RESPONDENT)]).id

    ids = {
        # a: accepted in September, a month's deadline long past: overdue
        "a": case("2026-09-01", jinxiu, "1号楼", CaseSource.HOTLINE, RiskColour.RED, "张三", ZHANG_ID),
        # b: in mediation, still within its deadline
        "b": case("2026-11-10", jinxiu, "2号楼", CaseSource.APPLICATION, RiskColour.YELLOW),
        # c: only registered
        "c": case("2026-10-15", yangguang, None, CaseSource.GRID, RiskColour.BLUE),
        # d: agreed and closed long ago; same applicant as a
        "d": case("2026-08-01", yangguang, "1号楼", CaseSource.APPLICATION, RiskColour.ORANGE, "张三", ZHANG_ID),
        # e: refused the day before yesterday, in a's building
        "e": case("2026-11-18", jinxiu, "1号楼", CaseSource.HOTLINE, RiskColour.YELLOW),
        # f: 李桂兰 recused, 周建国 leads now
        "f": case("2026-11-01", yangguang, "2号楼", CaseSource.PETITION, RiskColour.YELLOW),
    }
    workflow.accept(ctx, ids["a"], on="2026-09-01")
    assign_lead(ctx, ids["a"], li)
    workflow.accept(ctx, ids["b"], on="2026-11-10")
    assign_lead(ctx, ids["b"], zhou)
    workflow.start_mediation(ctx, ids["b"])
    workflow.accept(ctx, ids["d"], on="2026-08-01")
    assign_lead(ctx, ids["d"], li)
    agreements.sign(ctx, draft_agreement(ctx, ids["d"]), signed_on="2026-08-20")
    workflow.close(ctx, ids["d"])
    workflow.refuse(ctx, ids["e"], "被申请人明确拒绝调解")
    workflow.accept(ctx, ids["f"], on="2026-11-01")
    mediation.recuse(ctx, assign_lead(ctx, ids["f"], li), "申请人要求更换调解员")
    assign_lead(ctx, ids["f"], zhou)
    return Room(jinxiu, yangguang, li, zhou, ids)


def listed(ctx: Context, f: CaseFilter) -> set[int]:
    rows = register.page(ctx, f, 0, 1000)
    assert register.count(ctx, f) == len(rows), "the count above the table matches its rows"
    return {r.id for r in rows}


@pytest.fixture
def room(ctx: Context) -> Room:
    return build_room(ctx)


# -- filters ------------------------------------------------------------------------------------


FILTERS: list[tuple[str, object, set[str]]] = [
    ("no filter", lambda r: CaseFilter(), set("abcdef")),
    ("登记", lambda r: CaseFilter(statuses=[S.REGISTERED]), {"c"}),
    ("在调", lambda r: CaseFilter(statuses=[S.ACCEPTED, S.MEDIATING]), {"a", "b", "f"}),
    ("结案或不予受理", lambda r: CaseFilter(statuses=[S.CLOSED, S.REFUSED]), {"d", "e"}),
    ("达成协议 (none now)", lambda r: CaseFilter(statuses=[S.AGREED]), set()),
    ("锦绣花园", lambda r: CaseFilter(estate_id=r.jinxiu.estate_id), {"a", "b", "e"}),
    ("阳光水岸", lambda r: CaseFilter(estate_id=r.yangguang.estate_id), {"c", "d", "f"}),
    ("李桂兰 (recusal excluded)", lambda r: CaseFilter(mediator_id=r.li), {"a", "d"}),
    ("周建国", lambda r: CaseFilter(mediator_id=r.zhou), {"b", "f"}),
    ("12345热线", lambda r: CaseFilter(source=CaseSource.HOTLINE), {"a", "e"}),
    ("信访", lambda r: CaseFilter(source=CaseSource.PETITION), {"f"}),
    ("委托移送 (none)", lambda r: CaseFilter(source=CaseSource.ENTRUSTED), set()),
    ("红色", lambda r: CaseFilter(risk=RiskColour.RED), {"a"}),
    ("黄色", lambda r: CaseFilter(risk=RiskColour.YELLOW), {"b", "e", "f"}),
    ("10月1日至11月10日", lambda r: CaseFilter(registered_from=date(2026, 10, 1),
                                          registered_to=date(2026, 11, 10)), {"b", "c", "f"}),
    ("from 11月10日, inclusive", lambda r: CaseFilter(registered_from=date(2026, 11, 10)), {"b", "e"}),
    ("to 8月1日, inclusive", lambda r: CaseFilter(registered_to=date(2026, 8, 1)), {"d"}),
    ("overdue today", lambda r: CaseFilter(overdue_on=TODAY), {"a"}),
    ("overdue on 12月2日", lambda r: CaseFilter(overdue_on=date(2026, 12, 2)), {"a", "f"}),
    ("overdue before a's deadline", lambda r: CaseFilter(overdue_on=date(2026, 10, 1)), set()),
    ("锦绣花园 + 热线", lambda r: CaseFilter(estate_id=r.jinxiu.estate_id, source=CaseSource.HOTLINE), {"a", "e"}),
    ("热线 + 在调", lambda r: CaseFilter(source=CaseSource.HOTLINE, statuses=[S.ACCEPTED]), {"a"}),
    ("张三 + 阳光水岸", lambda r: CaseFilter(text="张三", estate_id=r.yangguang.estate_id), {"d"}),
]


@pytest.mark.parametrize(("make_filter", "expected"), [(f, e) for _n, f, e in FILTERS],
                         ids=[n for n, _f, _e in FILTERS])
def test_filter_returns_exactly_its_cases(ctx: Context, room: Room, make_filter, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert listed(ctx, make_filter(room)) == room.of(*expected)


def test_rows_show_what_the_clerk_reads_in_the_table(ctx: Context, room: Room) -> None:
    rows = {r.id: r for r in register.page(ctx, CaseFilter(), 0, 100)}
    a, f = rows[room.ids["a"]], rows[room.ids["f"]]
    assert (a.estate, a.parties, a.mediators, a.status) == ("锦绣花园", "张三、钱二", "李桂兰", S.ACCEPTED)
    assert a.deadline == date(2026, 10, 1) and a.risk is RiskColour.RED
    assert f.mediators == "周建国", "a recused mediator is not listed"


# -- paging -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", list(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
def test_pages_are_disjoint_and_cover_the_count(ctx: Context, room: Room, sort: str, descending: bool) -> None:
    for i in range(11):
        register_case(ctx, summary=f"补充登记第{i}件", registered_on=f"2026-11-{1 + i % 3:02d}")
    f = CaseFilter()
    total = register.count(ctx, f)
    assert total == 17
    pages = [register.page(ctx, f, offset, 5, sort=sort, descending=descending) for offset in range(0, 20, 5)]
    assert [len(p) for p in pages] == [5, 5, 5, 2]
    seen = [row.id for p in pages for row in p]
    assert len(seen) == len(set(seen)) == total, "no case on two pages, none missing"
    assert seen == [r.id for r in register.page(ctx, f, 0, 100, sort=sort, descending=descending)]


def test_page_order_by_registration_date_newest_first(ctx: Context, room: Room) -> None:
    rows = register.page(ctx, CaseFilter(), 0, 100)
    days = [r.registered_on for r in rows]
    assert days == sorted(days, reverse=True)
    assert rows[0].id == room.ids["e"] and rows[-1].id == room.ids["d"]


def test_page_past_the_end_is_empty(ctx: Context, room: Room) -> None:
    assert register.page(ctx, CaseFilter(), 6, 5) == []
    assert len(register.page(ctx, CaseFilter(), 5, 5)) == 1


# -- related open cases, shown before registering a new one -----------------------------------------


def related(ctx: Context, **kwargs: object) -> dict[int, str]:
    args: dict[str, object] = {"id_numbers": [], "names": [], "building_id": None, "property_company_id": None}
    args.update(kwargs)
    return {r.row.id: r.reason for r in register.related_open(ctx, **args)}  # type: ignore[arg-type]


def test_related_open_by_party_id_number_skips_closed_cases(ctx: Context, room: Room) -> None:
    assert related(ctx, id_numbers=[ZHANG_ID]) == {room.ids["a"]: "同一当事人"}, "d is closed"


def test_related_open_by_building_skips_refused_cases(ctx: Context, room: Room) -> None:
    building = room.jinxiu.buildings["1号楼"]
    assert related(ctx, building_id=building) == {room.ids["a"]: "同一楼栋"}, "e was refused"


def test_related_open_by_property_company(ctx: Context, room: Room) -> None:
    assert related(ctx, property_company_id=room.yangguang.company_id) == {
        room.ids["c"]: "同一物业企业", room.ids["f"]: "同一物业企业"}
    assert related(ctx, property_company_id=room.jinxiu.company_id) == {
        room.ids["a"]: "同一物业企业", room.ids["b"]: "同一物业企业"}


def test_related_open_names_the_first_reason_and_honours_the_exclusion(ctx: Context, room: Room) -> None:
    found = related(ctx, id_numbers=[ZHANG_ID], building_id=room.jinxiu.buildings["1号楼"],
                    property_company_id=room.jinxiu.company_id)
    assert found == {room.ids["a"]: "同一当事人", room.ids["b"]: "同一物业企业"}
    assert related(ctx, id_numbers=[ZHANG_ID], exclude_case_id=room.ids["a"]) == {}


def test_related_open_finds_nothing_for_a_stranger(ctx: Context, room: Room) -> None:
    assert related(ctx, id_numbers=[resident_id("19900101", serial=3), ""]) == {}
    assert related(ctx) == {}


def test_reopened_case_is_related_again(ctx: Context, room: Room) -> None:
    workflow.reopen(ctx, room.ids["d"], "回访发现协议未履行")
    assert related(ctx, id_numbers=[ZHANG_ID]) == {room.ids["a"]: "同一当事人", room.ids["d"]: "同一当事人"}


def test_first_page_gives_the_same_rows_and_count_as_page_and_count(ctx: Context) -> None:
    """The register's one-pass opening query agrees with the two separate ones, for searches and filters."""
    from wuye_desktop.services import demo

    demo.generate(ctx, 250, seed=6)
    for f in (register.CaseFilter(), register.CaseFilter(text="王"), register.CaseFilter(text="漏水"),
              register.CaseFilter(text="锦绣花园"), register.CaseFilter(text="没有这样的案件"),
              register.CaseFilter(statuses=[CaseStatus.CLOSED])):
        for sort, descending in (("registered_on", True), ("number", False), ("risk", True),
                                 ("estate", False), ("status", True)):
            rows, total = register.first_page(ctx, f, 50, sort=sort, descending=descending)
            assert total == register.count(ctx, f)
            assert rows == register.page(ctx, f, 0, 50, sort=sort, descending=descending)
