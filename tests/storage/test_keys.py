"""A register's secrets live outside it: the keyring where there is one, else a file only the user reads."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring_memory import MemoryKeyring

from wuye_desktop.storage import keys


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
