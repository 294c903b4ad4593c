"""Keep personal numbers out of logs and crash reports (PIPL; Art. 15 of the mediation law)."""

from __future__ import annotations

import re

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    """Mask 18-character ID numbers and mobile numbers wherever they appear."""
    return _MOBILE.sub(r"\1****\2", _ID.sub(r"\1***********\2", text))
