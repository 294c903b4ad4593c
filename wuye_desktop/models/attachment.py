"""Scans and files kept with a case, stored in the data folder by content hash."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import VersionedRow


class Attachment(VersionedRow):
    """The file lives at ``attachments/<sha256[:2]>/<sha256>``; the same scan added twice is stored once."""

    __tablename__ = "attachment"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(255))  # the name the user chose it by
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(40), default="")  # 证据, 身份证明, 授权委托书, ...
    description: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(40), default="")
