"""What a write changed, as the screens care about it: the change set every committed write produces.

No service announces anything by hand: ``Database.writing()`` notes the tables
each unit of work wrote and the cases its rows belong to, and hands that to
its watchers once committed (``storage.engine.Written``). ``of`` turns it into
topics; the window routes the ``Changes`` to every open view, which reloads
what it shows if a topic it shows is among them (Anki's ``OpChanges`` and
``operation_did_execute``). A write through any door (the window, a background
job, the command line) produces its change set the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wuye_desktop.storage.engine import Written


class Topic(StrEnum):
    CASES = "cases"  # a case itself: its fields, status, events, number
    PARTIES = "parties"
    CASEWORK = "casework"  # mediators on a case, consultation steps, records, visits, attachments
    AGREEMENTS = "agreements"
    HOTLINE = "hotline"  # 12345 work orders
    REFERENCE = "reference"  # committee, communities, estates, buildings, companies, mediators, sub-types, steps
    SETTINGS = "settings"
    ACCOUNTS = "accounts"
    AUDIT = "audit"
    REGISTER = "register"  # the whole register was replaced (a restore): everything is new


# Every table of the register and the topic its rows are part of (a test holds this complete).
TABLE_TOPICS: dict[str, Topic] = {
    "mediation_case": Topic.CASES,
    "case_event": Topic.CASES,
    "case_search_text": Topic.CASES,
    "number_sequence": Topic.CASES,
    "party": Topic.PARTIES,
    "case_party": Topic.PARTIES,
    "assignment": Topic.CASEWORK,
    "consultation_step": Topic.CASEWORK,
    "mediation_record": Topic.CASEWORK,
    "return_visit": Topic.CASEWORK,
    "attachment": Topic.CASEWORK,
    "agreement": Topic.AGREEMENTS,
    "agreement_clause": Topic.AGREEMENTS,
    "work_order": Topic.HOTLINE,
    "committee": Topic.REFERENCE,
    "community": Topic.REFERENCE,
    "estate": Topic.REFERENCE,
    "building": Topic.REFERENCE,
    "property_company": Topic.REFERENCE,
    "mediator": Topic.REFERENCE,
    "dispute_subtype": Topic.REFERENCE,
    "step_template": Topic.REFERENCE,
    "exchange_room_key": Topic.REFERENCE,
    "exchange_record_origin": Topic.REFERENCE,
    "setting": Topic.SETTINGS,
    "user_account": Topic.ACCOUNTS,
    "audit_event": Topic.AUDIT,
}
# What a case's own window shows.
CASE_TOPICS = frozenset({Topic.CASES, Topic.PARTIES, Topic.CASEWORK, Topic.AGREEMENTS, Topic.HOTLINE})


@dataclass(frozen=True)
class Changes:
    topics: frozenset[Topic]
    case_ids: frozenset[int] | None = frozenset()  # None: cases changed, which ones is not known

    def touches(self, *topics: Topic) -> bool:
        """Whether any of ``topics`` changed (a replaced register changes every one)."""
        return Topic.REGISTER in self.topics or any(topic in self.topics for topic in topics)

    def touches_case(self, case_id: int) -> bool:
        """Whether what the window of this case shows may have changed."""
        if Topic.REGISTER in self.topics:
            return True
        if not self.topics & CASE_TOPICS:
            return False
        return self.case_ids is None or case_id in self.case_ids


EVERYTHING = Changes(frozenset({Topic.REGISTER}), None)


def of(written: Written) -> Changes:
    """The change set of one committed write."""
    if written.replaced:
        return EVERYTHING
    # A table no topic names (an index of the search) changes nothing a screen shows by itself.
    topics = frozenset(TABLE_TOPICS[t] for t in written.tables if t in TABLE_TOPICS)
    return Changes(topics, written.case_ids if topics & CASE_TOPICS else frozenset())
