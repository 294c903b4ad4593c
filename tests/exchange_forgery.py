"""Forging exchange files the way an attacker would: unzip the real file, edit its JSON, recompute the
checksums (and re-sign with a key the attacker holds), zip it again."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from wuye_desktop.storage import keys

Edit = Callable[[dict[str, Any], dict[str, list[dict[str, Any]]]], None]


def signing_key_of(register_uid: str) -> Ed25519PrivateKey:
    """A register's private signing key, where it sits on its own PC (this test's config folder)."""
    seed = keys.load(register_uid, "exchange-signing-key")
    assert seed is not None, "the register has not signed a file yet"
    return Ed25519PrivateKey.from_private_bytes(seed)


def forge(good: Path, out: Path, edit: Edit, sign_with: Ed25519PrivateKey | None = None) -> Path:
    """Unzip, edit the JSON, recompute the checksums (and re-sign with ``sign_with``), zip again."""
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    signature = members.pop("manifest.sig")
    tables = {name.removeprefix("data/").removesuffix(".json"): json.loads(data) for name, data in members.items()}
    edit(manifest, tables)
    data = {f"data/{name}.json": json.dumps(found, ensure_ascii=False).encode("utf-8")
            for name, found in tables.items()}
    manifest["members"] = {name: hashlib.sha256(raw).hexdigest() for name, raw in data.items()}
    manifest["counts"] = {name: len(found) for name, found in tables.items()}
    if sign_with is not None:
        manifest["public_key"] = sign_with.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    manifest_bytes = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    if sign_with is not None:
        signature = sign_with.sign(manifest_bytes).hex().encode("ascii")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", signature)
        for name, raw in data.items():
            archive.writestr(name, raw)
        archive.comment = b"WUYE-SHA256:" + b"0" * 64
    raw = out.read_bytes()
    out.write_bytes(raw[:-64] + hashlib.sha256(raw[:-64]).hexdigest().encode("ascii"))
    return out
