"""The text a case is found by, in two parts: what anyone may match, and what is personal.

``services/cases/search.py`` keeps it and searches it; it is here, below the
services, because the migration that split the texts of older registers
(``migrations/versions/0005_personal_search_text.py``) composes it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wuye_desktop.storage import redact


def compose(parts: Iterable[object]) -> str:
    """The searchable text of a case, from its number, parties, place and story."""
    return " ".join(str(p) for p in parts if p not in (None, ""))


@dataclass(frozen=True)
class SearchText:
    body: str  # what anyone may find the case by
    personal: str  # found only by those who may see personal data


def party_parts(person: bool, name: str, phone: str, id_number: str, address: str, room: str,
                representative: str, agent: str) -> tuple[list[str], list[str]]:
    """A party's words anyone may find, and those only the ones who may see personal data find.

    A person's phone by its tail, the address to the building; the ID number
    and flat not at all. A company's credit code and address are public, its
    phone is masked as everyone's is on screen.
    """
    tail = redact.phone_tail(phone)
    if person:
        return [name, tail, redact.address_shown(address), representative, agent], [phone, id_number, address, room]
    return [name, tail, id_number, address, room, representative, agent], [phone]


def text_of(parts: Iterable[object], personal: Iterable[object] = ()) -> SearchText:
    """A case's search text from its parts and the values that are personal as a whole.

    A number the detector finds in a part is masked in ``body`` (a phone keeps
    its tail) and the whole part goes to ``personal``, so whoever may see
    personal data still finds every word of it. ``personal`` values (a
    person's full phone, ID number, address and flat) go to ``personal`` only.
    """
    shown: list[str] = []
    hidden: list[str] = []
    for part in parts:
        if part in (None, ""):
            continue
        whole = str(part)
        masked = redact.searchable(whole)
        shown.append(masked)
        if masked != whole:
            hidden.append(whole)
    hidden += [str(p) for p in personal if p not in (None, "")]
    return SearchText(" ".join(compose(shown).split()), compose(dict.fromkeys(hidden)))


