"""Personal data in an exchange file: masked (the default) or removed before it leaves the room.

The county counts cases; it does not need to reach the parties (PIPL, and
Art. 15 of the mediation law: mediators must not leak privacy). ``mask``
keeps enough to tell parties apart (张*, 138****5678, 420***********1234, the
estate and building without the flat); ``remove`` keeps only what kind of
party it was. Names and numbers are also taken out of the free text of the
case (facts, minutes, clauses), where clerks write them as a matter of course:
the numbers by the one detector (``storage/redact.py``), whatever way they were
typed (+86 139 8765 4321, full-width digits, a spaced or 15-digit ID, landlines,
flats), masked as the party fields are or replaced by （已隐去）.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from wuye_desktop.services import validation
from wuye_desktop.storage import redact

MASK = "mask"
REMOVE = "remove"
MODES = {MASK: "打码（姓名、电话、身份证号部分隐去）", REMOVE: "删除（不带出任何个人信息）"}

REMOVED_NAME = "（已隐去）"
_REMOVED_IN_TEXT = "某某"

# Free text that may name parties, per table.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "mediation_case": ("summary", "facts", "refusal_reason", "termination_reason"),
    "consultation_step": ("participants", "content", "decision", "publicity", "supervision"),
    "mediation_record": ("matter", "participants", "parties_present", "statements", "findings", "outcome"),
    "agreement": ("facts", "performance"),
    "agreement_clause": ("text",),
    "return_visit": ("visited_parties", "measures", "notes"),
    "assignment": ("recusal_reason",),
    "case_event": ("note",),
}


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname stays, so the county can still read a list."""
    text = name.strip()
    return text[:1] + "*" * (len(text) - 1) if len(text) > 1 else text


class Scrubber:
    """Applies one mode to the rows of one export; ``names`` collects what to take out of text."""

    def __init__(self, mode: str, today: date) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.today = today

    # -- people ------------------------------------------------------------------------

    def party(self, row: dict[str, Any]) -> dict[str, Any]:
        if row.get("kind") != "person":
            return row  # companies and owners' committees are not personal data
        return dict(row, **self._person_fields(row), notes="")

    def _person_fields(self, row: dict[str, Any]) -> dict[str, Any]:
        if self.mode == REMOVE:
            return {"name": REMOVED_NAME, "gender": "", "ethnicity": "", "birth_date": None, "age": None,
                    "occupation": "", "phone": "", "id_number": "", "address": "", "room": ""}
        return {"name": mask_name(row.get("name") or ""), "phone": validation.mask_phone(row.get("phone")),
                "id_number": validation.mask_id(row.get("id_number")),
                "address": validation.mask_address(row.get("address")), "room": "",
                "birth_date": None, "age": self._age(row)}

    def _age(self, row: dict[str, Any]) -> int | None:
        """The age instead of the birth date: enough for a report, not for finding the person."""
        born = row.get("birth_date")
        if not born:
            age = row.get("age")
            return age if isinstance(age, int) else None
        day = date.fromisoformat(born)
        return self.today.year - day.year - ((self.today.month, self.today.day) < (day.month, day.day))

    def agent(self, name: str) -> str:
        return "" if self.mode == REMOVE else mask_name(name)

    def snapshot(self, snap: dict[str, Any] | None) -> dict[str, Any] | None:
        if snap is None or self.mode == REMOVE:
            return None
        if snap.get("kind") != "person":
            return snap
        return dict(snap, **self._person_fields(snap), agent_name=mask_name(snap.get("agent_name") or ""))

    def mediator(self, row: dict[str, Any]) -> dict[str, Any]:
        # Mediators' names are on every agreement and count in the statistics; their phones do not.
        phone = "" if self.mode == REMOVE else validation.mask_phone(row.get("phone"))
        return dict(row, phone=phone, notes="")

    # -- free text ---------------------------------------------------------------------

    def replacements(self, names: list[str]) -> dict[str, str]:
        """What each real name becomes in the text of the case it appears in."""
        found = {n.strip() for n in names if len(n.strip()) >= 2}
        if self.mode == REMOVE:
            return dict.fromkeys(found, _REMOVED_IN_TEXT)
        return {n: mask_name(n) for n in found}

    def text(self, value: str | None, replace: dict[str, str]) -> str | None:
        if not value:
            return value
        for name in sorted(replace, key=len, reverse=True):  # 王小明 before 王小
            value = value.replace(name, replace[name])
        if self.mode == REMOVE:
            return redact.remove(value, REMOVED_NAME)
        return redact.redact(value)

    def row_text(self, table: str, row: dict[str, Any], replace: dict[str, str]) -> dict[str, Any]:
        fields = TEXT_FIELDS.get(table, ())
        return dict(row, **{f: self.text(row.get(f), replace) for f in fields}) if fields else row
