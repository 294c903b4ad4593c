"""Secrets of a register kept outside it: the system keyring, or else a file only this user can read.

A secret that lived inside the register (the key of its audit trail, the
private key that signs its exchange files) would be handed to whoever gets a
copy of the file. So each register's secrets are kept by the user's own
account on this computer: in the system keyring (Windows Credential Manager,
macOS Keychain, the Secret Service on Linux) where one works, and otherwise
in ``<config>/keys/<register>/<name>``, mode 0600 on POSIX (on Windows
``%APPDATA%\\WuyeDesktop``, the user's own and apart from the data folder).
``WUYE_CONFIG_DIR`` moves that folder (tests, portable installs).

Someone who holds both the register and this user's secrets can still forge
what the secrets protect: they guard against a copied or edited file, not
against the account that keeps them.
"""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from pathlib import Path

from wuye_desktop.errors import StorageError
from wuye_desktop.storage.paths import APP_NAME

KEYRING_SERVICE = "wuye-desktop-keys"


def config_dir() -> Path:
    explicit = os.environ.get("WUYE_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser().absolute()
    import platformdirs

    # On Windows the local config folder would be the data folder itself (%LOCALAPPDATA%\WuyeDesktop):
    # the secrets would travel with a copy of it. The roaming one (%APPDATA%\WuyeDesktop) is the
    # user's own and apart from the register; elsewhere roaming changes nothing.
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def _account(register: str, name: str) -> str:
    return f"{register}/{name}"


def _file(register: str, name: str) -> Path:
    if not register.isalnum() or not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"not a register id and secret name: {register!r} {name!r}")
    return config_dir() / "keys" / register / name


def load(register: str, name: str) -> bytes | None:
    """The secret ``name`` of the register ``register`` (its uid), or ``None`` if this computer has none."""
    if _keyring_usable():
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(KEYRING_SERVICE, _account(register, name))
        except KeyringError:
            text = None
        if text is not None:
            return base64.b64decode(text)
    path = _file(register, name)
    try:
        return base64.b64decode(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StorageError(f"无法读取本机保存的台账密钥“{path}”：{exc}") from exc


def store(register: str, name: str, value: bytes) -> None:
    """Keep ``value``: in the keyring if there is one, else in a file only this user can read."""
    text = base64.b64encode(value).decode("ascii")
    if _keyring_usable():
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, _account(register, name), text)
            return
        except KeyringError:
            pass  # a keyring that refuses (locked, read-only): fall back to the file
    path = _file(register, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageError(f"无法在本机保存台账密钥（{path}）：{exc}") from exc


def load_or_create(register: str, name: str, size: int = 32) -> bytes:
    """The register's secret ``name``, made (random, ``size`` bytes) and kept the first time it is asked for."""
    found = load(register, name)
    if found is not None:
        return found
    made = secrets.token_bytes(size)
    store(register, name, made)
    return made
