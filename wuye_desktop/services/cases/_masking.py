"""Personal data as it is shown by default: phone ``138****5678``, ID ``110***********1234``,
address to the building (PIPL; Art. 15 of the mediation law).

Only people are masked: a company's credit code and address are public.
The birth date goes too, since it is the middle of the ID number. Seeing
the full values is ``cases.get(..., reveal=True)`` or ``cases.reveal``,
which need ``Permission.REVEAL_PERSONAL`` and are audited. Printed
agreements carry the full details (the parties sign them); every other
list, export and report uses these.

The free text of a case (简要案情, 纠纷事实, notes and reasons) is masked
too, by the one detector (``validation.mask_text``), for a user who may
not see personal data on this case; whoever may reveal it sees what was typed.
"""

from __future__ import annotations

import dataclasses

from wuye_desktop.models import PartyKind
from wuye_desktop.services.cases.dto import CaseDetail, PartyView
from wuye_desktop.services.validation import mask_address, mask_id, mask_phone, mask_text


def phone(value: str | None) -> str:
    return mask_phone(value)


def id_number(value: str | None, kind: PartyKind = PartyKind.PERSON) -> str:
    return mask_id(value) if kind is PartyKind.PERSON else (value or "")


def address(value: str | None, kind: PartyKind = PartyKind.PERSON) -> str:
    return mask_address(value) if kind is PartyKind.PERSON else (value or "")


def party(view: PartyView) -> PartyView:
    """The party as anyone may see them."""
    return dataclasses.replace(
        view, phone=phone(view.phone), id_number=id_number(view.id_number, view.kind),
        address=address(view.address, view.kind),
        birth_date=view.birth_date if view.kind is not PartyKind.PERSON else None,
    )


def case_detail(detail: CaseDetail, *, texts_shown: bool) -> CaseDetail:
    """The case as anyone may see it; ``texts_shown``: whether its free text is shown as typed."""
    masked = dataclasses.replace(detail, parties=[party(p) for p in detail.parties])
    if texts_shown:
        return masked
    return dataclasses.replace(
        masked, summary=mask_text(detail.summary), facts=mask_text(detail.facts),
        events=[dataclasses.replace(e, note=mask_text(e.note)) for e in detail.events],
        assignments=[dataclasses.replace(a, recusal_reason=mask_text(a.recusal_reason)) for a in detail.assignments],
    )
