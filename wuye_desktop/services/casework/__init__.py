"""Casework: what is done on a case once it is registered.

The calls of ``views`` (what the case window shows: steps, agreements, visits, history) are named here.
Public modules: ``mediation`` (mediators on a case, consultation steps), ``records`` (调查记录, 调解记录),
``agreements`` (drafting, signing, judicial confirmation, return visits), ``drafts`` (revising an unsigned
agreement), ``attachments`` (scans and photos), ``documents`` (the papers printed for a case).
"""

from wuye_desktop.services.casework.views import (
    ACTION_LABELS,
    AgreementView,
    HistoryEntry,
    PartyPlace,
    StepView,
    VisitView,
    case_agreements,
    describe,
    history,
    party_places,
    people_count,
    steps,
    visits,
)

__all__ = [
    "ACTION_LABELS",
    "AgreementView",
    "HistoryEntry",
    "PartyPlace",
    "StepView",
    "VisitView",
    "case_agreements",
    "describe",
    "history",
    "party_places",
    "people_count",
    "steps",
    "visits",
]
