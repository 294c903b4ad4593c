"""The official monthly figures (DOMAIN.md §6) of one period, and the 汇总 lines comparing three periods."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from wuye_desktop.models import AgreementKind, CaseSource, OfficialType, Performance
from wuye_desktop.services.statistics._figures import CaseFacts, PeriodFacts
from wuye_desktop.services.statistics.groups import rate

S = CaseSource
# The official form splits 受理 into 主动 / 申请 / 委托移送, with 12345 and 信访 on their own rows.
SOURCE_GROUPS: tuple[tuple[str, tuple[CaseSource, ...]], ...] = (
    ("主动调解", (S.INITIATIVE, S.GRID)),
    ("依申请调解", (S.APPLICATION,)),
    ("委托移送调解", (S.ENTRUSTED, S.DEPARTMENT, S.PARTY_BRANCH)),
    ("12345热线转来", (S.HOTLINE,)),
    ("信访转来", (S.PETITION,)),
)
PREVENTION_LABELS = ("防止民转刑", "防止因纠纷引起自杀", "防止群体性上访", "防止群体性械斗")
TEN_THOUSAND = Decimal(10000)

NOTES = (
    "统计口径：各项按事件发生日期计入当期——受理、调解成功、调解终止、不予受理、转办、结案归档按办理日期；"
    "书面/口头协议及协议金额按协议签署生效日期；司法确认申请按申请日期；回访、已履行按回访日期；登记按登记日期。",
    "成功率 = 调解成功 ÷（调解成功 + 调解终止），两者均为零时不计算；成功率的增减为百分点之差。",
    "期末在调：统计期最后一天状态为“已受理”或“调解中”的案件；期末逾期：其中已超过调解期限（以当前登记的期限为准）的案件。",
    "回访、已履行按案件计：同一案件本期多次回访计一件，任一次回访为“已履行”即计入已履行。",
    "防止民转刑等四项按本期登记的案件计，人数为案件登记的涉及人数；排查发现为本期登记、来源为“调委会主动调解”的案件。"
    "排查次数、预防纠纷次数台账未记录，请报送时手工填写。",
    "按来源、按纠纷类型的占比为占本期受理件数的比例。",
)


@dataclass(frozen=True)
class Summary:
    registered: int
    accepted: int
    accepted_by_source: dict[CaseSource, int]
    accepted_by_type: dict[OfficialType, int]
    succeeded: int
    terminated: int
    refused: int
    referred: int
    closed: int
    mediating_at_end: int
    overdue_at_end: int
    written: int
    oral: int
    amount: Decimal  # 协议涉及金额, 元
    judicial_applied: int
    visited: int
    performed: int
    prevented_cases: tuple[int, int, int, int]
    prevented_people: tuple[int, int, int, int]
    sweep_found: int

    @property
    def success_rate(self) -> float | None:
        return rate(self.succeeded, self.terminated)

    @property
    def amount_wan(self) -> Decimal:
        return self.amount / TEN_THOUSAND


def summarise(facts: PeriodFacts, keep: Callable[[CaseFacts], bool] | None = None) -> Summary:
    """The period's figures, over all its cases or those ``keep`` accepts (one committee's)."""

    def ok(case_id: int) -> bool:
        return keep is None or keep(facts.cases[case_id])

    def counted(action: str) -> set[int]:
        return {i for i in facts.events[action] if ok(i)}

    accepted = counted("accept")
    registered = {i for i in facts.registered if ok(i)}
    at_end = {i for i in facts.open_at_end if ok(i)}
    agreements = [(kind, amount) for case_id, kind, amount in facts.agreements if ok(case_id)]
    visits = [(case_id, p) for case_id, p in facts.visits if ok(case_id)]
    flagged = [facts.cases[i] for i in registered]
    return Summary(
        registered=len(registered), accepted=len(accepted),
        accepted_by_source=dict(Counter(facts.cases[i].source for i in accepted)),
        accepted_by_type=dict(Counter(facts.cases[i].official_type for i in accepted)),
        succeeded=len(counted("agree")), terminated=len(counted("terminate")), refused=len(counted("refuse")),
        referred=len(counted("refer")), closed=len(counted("close")), mediating_at_end=len(at_end),
        overdue_at_end=sum(1 for i in at_end if facts.overdue(i)),
        written=sum(1 for kind, _a in agreements if kind is AgreementKind.WRITTEN),
        oral=sum(1 for kind, _a in agreements if kind is AgreementKind.ORAL),
        amount=sum((amount for _k, amount in agreements), Decimal(0)),
        judicial_applied=sum(1 for case_id in facts.judicial if ok(case_id)),
        visited=len({case_id for case_id, _p in visits}),
        performed=len({case_id for case_id, p in visits if p is Performance.PERFORMED}),
        prevented_cases=tuple(sum(1 for c in flagged if c.prevented[k]) for k in range(4)),  # type: ignore[arg-type]
        prevented_people=tuple(sum(c.people for c in flagged if c.prevented[k]) for k in range(4)),  # type: ignore[arg-type]
        sweep_found=sum(1 for c in flagged if c.source is CaseSource.INITIATIVE),
    )


Value = int | float | Decimal | None


@dataclass(frozen=True)
class SummaryLine:
    """One row of 汇总: the figure in this period, the period before, and the same period last year."""

    label: str
    unit: str
    kind: str  # heading, count, rate, amount
    current: Value = None
    previous: Value = None
    last_year: Value = None
    share: float | None = None  # of this period's 受理
    level: int = 0  # 1: a 其中 row under the one above

    def change(self, other: Value) -> Value:
        """本期 minus the other period; a rate changes in percentage points."""
        if self.kind == "heading" or self.current is None or other is None:
            return None
        return self.current - other  # type: ignore[operator]

    def change_ratio(self, other: Value) -> float | None:
        """增减率 of counts and amounts; none for rates or when the other period had nothing."""
        if self.kind not in ("count", "amount") or self.current is None or not other:
            return None
        return float((self.current - other) / other)  # type: ignore[operator]


def summary_lines(cur: Summary, prev: Summary, ly: Summary) -> list[SummaryLine]:
    lines: list[SummaryLine] = []

    def add(label: str, unit: str, get: Callable[[Summary], Value], kind: str = "count",
            level: int = 0, share: bool = False) -> None:
        value = get(cur)
        lines.append(SummaryLine(label, unit, kind, value, get(prev), get(ly),
                                 _share(value, cur.accepted) if share else None, level))

    def heading(label: str) -> None:
        lines.append(SummaryLine(label, "", "heading"))

    heading("一、受理情况")
    add("受理纠纷", "件", lambda s: s.accepted)
    for name, sources in SOURCE_GROUPS:
        add(name, "件", _from_sources(sources), share=True)
        if len(sources) > 1:
            for source in sources:
                add(f"其中：{source.label}", "件", _from_sources((source,)), level=1, share=True)
    heading("二、调解结果")
    add("调解成功", "件", lambda s: s.succeeded)
    add("成功率", "%", lambda s: s.success_rate, kind="rate")
    add("调解终止", "件", lambda s: s.terminated)
    add("期末在调", "件", lambda s: s.mediating_at_end)
    heading("三、协议及司法确认")
    add("书面协议", "份", lambda s: s.written)
    add("口头协议", "份", lambda s: s.oral)
    add("协议涉及金额", "万元", lambda s: s.amount_wan, kind="amount")
    add("司法确认申请", "件", lambda s: s.judicial_applied)
    heading("四、回访履行")
    add("回访", "件", lambda s: s.visited)
    add("已履行", "件", lambda s: s.performed)
    heading("五、排查预防")
    add("排查发现纠纷", "件", lambda s: s.sweep_found)
    for index, label in enumerate(PREVENTION_LABELS):
        add(label, "件", _prevented(index, people=False))
        add("涉及人数", "人", _prevented(index, people=True), level=1)
    heading("六、按纠纷类型（受理）")
    for official in OfficialType:
        add(official.label, "件", _of_type(official), share=True)
    heading("七、其他")
    add("登记纠纷", "件", lambda s: s.registered)
    add("不予受理", "件", lambda s: s.refused)
    add("转办", "件", lambda s: s.referred)
    add("结案归档", "件", lambda s: s.closed)
    add("期末逾期未结", "件", lambda s: s.overdue_at_end)
    return lines


def _from_sources(sources: tuple[CaseSource, ...]) -> Callable[[Summary], Value]:
    return lambda s: sum(s.accepted_by_source.get(x, 0) for x in sources)


def _prevented(index: int, *, people: bool) -> Callable[[Summary], Value]:
    return lambda s: (s.prevented_people if people else s.prevented_cases)[index]


def _of_type(official: OfficialType) -> Callable[[Summary], Value]:
    return lambda s: s.accepted_by_type.get(official, 0)


def _share(value: Value, accepted: int) -> float | None:
    if value is None or not accepted:
        return None
    return float(value) / accepted
