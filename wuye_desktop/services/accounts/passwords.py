"""Password rules and hashing: Argon2id, with its parameters stored in each hash.

The parameters are argon2-cffi's RFC 9106 "low memory" profile, spelled out
so a library upgrade cannot change them silently: 64 MiB, 3 passes, 4 lanes
(about 0.1 s here). That is above OWASP's current minimum for Argon2id
(19 MiB, 2 passes, 1 lane). Each hash carries its own parameters
(``$argon2id$v=19$m=65536,t=3,p=4$...``), so a hash made with weaker ones
still verifies and is replaced at the next successful sign-in.
"""

from __future__ import annotations

import functools
import logging
import secrets
import unicodedata

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from wuye_desktop.errors import ValidationError

log = logging.getLogger(__name__)

TIME_COST = 3
MEMORY_COST_KIB = 64 * 1024
PARALLELISM = 4
MIN_LENGTH = 8
MAX_LENGTH = 128
# A recovery code: 20 characters of 32 (100 bits) in groups of four, without 0/O and 1/I, to copy onto paper.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 20

_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM,
                         hash_len=32, salt_len=16, type=Type.ID)

# Passwords every guesser tries first, including the ones Chinese users favour.
_COMMON = frozenset({
    "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "88888888", "66666666",
    "password", "password1", "password123", "passw0rd", "qwertyui", "qwerty123", "abcd1234", "abc12345",
    "abc123456", "1qaz2wsx", "qazwsxedc", "a1234567", "a12345678", "aa123456", "admin123", "admin888",
    "administrator", "iloveyou", "5201314", "woaini1314", "woaini520", "12345678a", "123456abc",
    "asdf1234", "zxcv1234", "1q2w3e4r", "q1w2e3r4", "test1234", "welcome1", "wuye1234", "tiaojie123",
})


def normalise(password: str) -> str:
    """Fold full-width input (an IME left in full-width mode) so the same keys give the same password."""
    return unicodedata.normalize("NFKC", password)


def check(password: str, username: str = "", *, field: str = "password") -> None:
    """Raise ``ValidationError`` keyed by ``field`` if the password is too weak, saying why."""
    text = normalise(password)
    if not text:
        raise ValidationError.single(field, "请填写密码")
    if text != text.strip():
        raise ValidationError.single(field, "密码的开头和结尾不能是空格")
    if len(text) < MIN_LENGTH:
        raise ValidationError.single(field, f"密码至少需要{MIN_LENGTH}位，现在只有{len(text)}位")
    if len(text) > MAX_LENGTH:
        raise ValidationError.single(field, f"密码不能超过{MAX_LENGTH}位")
    kinds = sum((any(c.isalpha() for c in text), any(c.isdigit() for c in text),
                 any(not c.isalnum() for c in text)))
    if kinds < 2:
        raise ValidationError.single(field, "密码需要同时包含字母和数字（也可以用符号），不能只有一种")
    if len(set(text)) <= 2:
        raise ValidationError.single(field, "密码不能由一两个字符重复组成")
    lowered = text.lower()
    if lowered in _COMMON:
        raise ValidationError.single(field, "这个密码太常见，很容易被猜到，请换一个")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise ValidationError.single(field, "密码不能包含用户名")


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, normalise(password))
    except VerificationError:
        return False
    except InvalidHashError:
        log.warning("an account's stored password hash is not a valid Argon2 hash")
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (weaker, or another type)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def new_recovery_code() -> str:
    """A fresh recovery code from the system's secure random source, e.g. ``K7QM-3XPA-...``."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(chars[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def normalise_recovery_code(typed: str) -> str:
    """The code as hashed: full-width folded, upper case, without the dashes and spaces a person may type."""
    return "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c.isalnum())


def spend_time_on_unknown_user(password: str) -> None:
    """Verify against a throw-away hash, so "no such user" takes as long as "wrong password"."""
    verify(_dummy_hash(), password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("不存在的账户")
