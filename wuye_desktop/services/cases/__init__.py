"""Cases: registering a dispute, correcting it, its life from 登记 to 结案, its number, finding it, the register list.

The calls of ``registration`` are named here (``cases.register``, ``cases.get``, ``cases.load``...).
Public modules: ``registration``, ``editing`` (corrections guarded by version), ``workflow`` (which step
may follow which), ``numbering`` (gap-free numbers), ``search``, ``listing`` (filters, sort, pages,
related open cases), ``reminders`` (待办提醒), ``dto`` (the plain data in and out); ``_masking`` is how a case is shown
to a role that may not see personal data.
"""

from wuye_desktop.services.cases.dto import CaseDetail, CaseDraft, CaseRow, PartyInput
from wuye_desktop.services.cases.registration import (
    OPEN_STATUSES,
    CheckedDraft,
    check_draft,
    default_committee,
    find,
    get,
    load,
    refresh_search_text,
    register,
    register_in,
    reveal,
)

__all__ = [
    "OPEN_STATUSES",
    "CaseDetail",
    "CaseDraft",
    "CaseRow",
    "CheckedDraft",
    "PartyInput",
    "check_draft",
    "default_committee",
    "find",
    "get",
    "load",
    "refresh_search_text",
    "register",
    "register_in",
    "reveal",
]
