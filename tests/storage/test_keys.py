"""A register's secrets live outside it: the keyring where there is one, else a file only the user reads."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from wuye_desktop.storage import keys


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def test_without_a_keyring_a_secret_is_a_file_only_the_user_can_read() -> None:
    made = keys.load_or_create("abc123", "audit-key")
    assert len(made) == 32 and keys.load_or_create("abc123", "audit-key") == made, "made once, then kept"
    assert keys.load("other", "audit-key") is None, "each register has its own"
    path = keys.config_dir() / "keys" / "abc123" / "audit-key"
    assert path.is_file() and Path(os.environ["WUYE_CONFIG_DIR"]) in path.parents
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_with_a_keyring_the_secret_goes_there_and_no_file_is_written() -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)  # the autouse fixture puts the test machine's own back afterwards
    made = keys.load_or_create("abc123", "signing-key")
    assert memory.secrets and keys.load("abc123", "signing-key") == made
    assert not (keys.config_dir() / "keys").exists()


def test_a_name_that_could_leave_the_folder_is_refused() -> None:
    with pytest.raises(ValueError):
        keys.load("../../etc", "passwd")
