"""Which automatic backups to keep: the newest of each of the last N days, weeks and months.

Counted over days (weeks, months) that *have* a backup, not calendar days:
a PC that was switched off for a month still keeps its last seven daily
backups instead of losing them all to the calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Retention:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def to_keep(created: Sequence[datetime], rule: Retention) -> set[int]:
    """Indexes into ``created`` of the backups to keep; the newest one is always kept."""
    order = sorted(range(len(created)), key=lambda i: created[i], reverse=True)
    keep: set[int] = set(order[:1])

    def newest_per(period: Callable[[datetime], Hashable], count: int) -> None:
        seen: list[Hashable] = []
        for i in order:
            key = period(created[i])
            if key in seen:
                continue
            if len(seen) == count:
                return
            seen.append(key)
            keep.add(i)

    newest_per(lambda t: t.date(), rule.daily)
    newest_per(lambda t: t.isocalendar()[:2], rule.weekly)
    newest_per(lambda t: (t.year, t.month), rule.monthly)
    return keep
