"""Column types shared by the models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Numeric

from wuye_desktop.models.enums import Labelled

# Money in 元 with fen precision; Decimal end to end, never float.
Money = Numeric(14, 2, asdecimal=True)


def code_enum(enum_cls: type[Labelled], **kwargs: Any) -> SAEnum:
    """Store an enum's English code as VARCHAR on every database (no native ENUM type)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=24,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kwargs,
    )
