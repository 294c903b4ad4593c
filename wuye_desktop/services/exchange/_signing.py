"""Signing exchange files: each register's Ed25519 key, kept outside the register, and its readable fingerprint.

A room signs the manifest of every file it exports (the manifest holds the
SHA-256 of every data member, so the signature covers every byte that is
merged). The public key travels in the manifest; the county pins it the
first time it imports that room's file, once someone has compared its
fingerprint with the one the room reads out from its own 数据交换 page.

The private key is 32 random bytes kept by ``storage.keys`` under the
register's identity, never in the register itself: a copy of the register
cannot sign in the room's name.
"""

from __future__ import annotations

import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from wuye_desktop.errors import StorageError
from wuye_desktop.storage import keys

KEY_NAME = "exchange-signing-key"
_FINGERPRINT_HEX = 24  # 96 bits, read out as six groups of four
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{128}")


def signing_key(register_uid: str) -> Ed25519PrivateKey:
    """This register's private signing key, made and kept outside the register the first time."""
    seed = keys.load_or_create(register_uid, KEY_NAME, 32)
    try:
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError as exc:
        raise StorageError("本机保存的数据交换签名密钥已损坏，无法签名报送文件。请联系技术支持。") from exc


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return key.sign(data).hex()


def is_public_key(text: object) -> bool:
    return isinstance(text, str) and _HEX_KEY.fullmatch(text) is not None


def signature_holds(public_key: str, signature: str, data: bytes) -> bool:
    """Whether ``signature`` (hex) is the key's signature of exactly ``data``."""
    if not is_public_key(public_key) or _HEX_SIGNATURE.fullmatch(signature) is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_key: str) -> str:
    """What a person compares: the key's SHA-256, its first 24 hex digits in groups of four (3F2A 9C1D …)."""
    digits = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:_FINGERPRINT_HEX].upper()
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def compact(fingerprint_text: str) -> str:
    """A fingerprint as typed (any spaces, dashes, colons, case) reduced to its hex digits, upper case."""
    return re.sub(r"[\s:\-]", "", fingerprint_text).upper()
