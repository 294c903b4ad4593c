"""Local accounts of the people who share the room's PC."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import Role
from wuye_desktop.models.types import code_enum


class UserAccount(VersionedRow):
    """A person who signs in; the password is kept only as an Argon2id hash with its parameters."""

    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(code_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(200))  # $argon2id$v=19$m=...,t=...,p=...$salt$hash
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"))  # a mediator's own account
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Stored as must_renew: only password hashes may have "password" in a column name,
    # so an auditor scanning for password columns finds nothing but Argon2id hashes.
    must_change_password: Mapped[bool] = mapped_column("must_renew", Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
