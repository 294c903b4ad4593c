"""The text a case is found by: one denormalised row per case."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import Base


class CaseSearchText(Base):
    """Number, parties' names, phones and addresses, estate, summary and facts.

    Rewritten by the services whenever any of those change. ``body`` is what
    anyone may find the case by (personal numbers masked, phones by their
    last four digits); ``personal`` holds the full phones, ID numbers and
    addresses, for those who may see them. On SQLite a trigram FTS5 index is
    kept beside it where the library has FTS5; short queries scan this table
    directly (see services/cases/search.py).
    """

    __tablename__ = "case_search_text"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("mediation_case.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)
    personal: Mapped[str] = mapped_column(Text, default="", server_default="")
