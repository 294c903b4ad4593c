"""The exchange file itself: a zip of JSON tables, a signed manifest, and checksums over every byte.

Layout::

    manifest.json        committee, period, program and schema version, row counts,
                         the SHA-256 of every data member, when it was made,
                         the room's public signing key (Ed25519)
    manifest.sig         the room's Ed25519 signature of the exact bytes of manifest.json
    data/<table>.json    the rows of one table, references written as uids
    (zip comment)        "WUYE-SHA256:" + SHA-256 of every byte of the file before it

The whole-file digest in the comment catches a changed byte anywhere, even in
parts of a zip that carry no checksum of their own (headers); the per-member
digests name which table was damaged. Checksums only detect damage: anyone
can recompute them. The signature proves the manifest, and through its
digests every data member, is what the holder of the room's private key
wrote; whether that key is the room's is for the county to pin
(``roll_up``). No database here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wuye_desktop.errors import DomainError
from wuye_desktop.services.exchange import _signing

FORMAT = "wuye-exchange"
FORMAT_VERSION = 2  # 1: checksummed, not signed (refused)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA_DIR = "data/"
_SEAL = b"WUYE-SHA256:"
_SEAL_LENGTH = len(_SEAL) + 64
# A room's year is a few MB; refuse absurd members before unpacking them (zip bombs).
_MAX_MEMBER_BYTES = 512 * 1024 * 1024
_MAX_MANIFEST_BYTES = 1024 * 1024


class DamagedFileError(DomainError):
    """The exchange file cannot be trusted: damaged, changed, incomplete or not an exchange file."""


@dataclass(frozen=True)
class Package:
    """A verified exchange file: its manifest and its tables."""

    path: Path
    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    sha256: str

    @property
    def public_key(self) -> str:
        """The key the file is signed with (hex); ``read`` checked the signature."""
        return str(self.manifest["public_key"])

    @property
    def fingerprint(self) -> str:
        return _signing.fingerprint(self.public_key)


def write(out: Path, manifest: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
          key: Ed25519PrivateKey) -> str:
    """Write the file, its manifest signed by ``key``, atomically (a temporary file renamed into place).

    Returns the file's SHA-256.
    """
    members = {f"{DATA_DIR}{name}.json": _dump(rows) for name, rows in tables.items()}
    full_manifest = dict(manifest, format=FORMAT, format_version=FORMAT_VERSION,
                         public_key=_signing.public_hex(key),
                         counts={name: len(rows) for name, rows in tables.items()},
                         members={name: hashlib.sha256(data).hexdigest() for name, data in members.items()})
    manifest_bytes = _dump(full_manifest)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".wuye-exchange-", suffix=".tmp", dir=out.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, manifest_bytes)
                archive.writestr(SIGNATURE, _signing.sign(key, manifest_bytes))
                for name, data in members.items():
                    archive.writestr(name, data)
                archive.comment = _SEAL + b"0" * 64  # placeholder of the final length
            handle.flush()
        digest = hashlib.sha256(temp.read_bytes()[:-64]).hexdigest()  # everything up to the digest itself
        with temp.open("r+b") as handle:
            handle.seek(-64, os.SEEK_END)
            handle.write(digest.encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(out.read_bytes()).hexdigest()


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def read(path: Path) -> Package:
    """Open and check everything; raise ``DamagedFileError`` naming the file and what is wrong."""
    name = path.name
    damaged = f"文件“{name}”已损坏或被改动过（校验不符），没有导入任何数据。请让调解室重新导出后再导入。"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DamagedFileError(f"找不到文件“{path}”，请检查文件名和位置。") from None
    except OSError as exc:
        raise DamagedFileError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    if len(raw) <= _SEAL_LENGTH or raw[-_SEAL_LENGTH:-64] != _SEAL:
        if not raw.startswith(b"PK"):
            raise DamagedFileError(f"文件“{name}”不是本程序导出的数据交换文件，没有导入任何数据。")
        raise DamagedFileError(damaged)
    stated = raw[-64:].decode("ascii", errors="replace")
    if hashlib.sha256(raw[:-64]).hexdigest() != stated:
        raise DamagedFileError(damaged)
    try:
        return _unpack(path, raw, damaged)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError,
            RecursionError) as exc:  # RecursionError: JSON nested absurdly deep
        raise DamagedFileError(damaged) from exc


def _unpack(path: Path, raw: bytes, damaged: str) -> Package:
    import io

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        if MANIFEST not in infos:
            raise DamagedFileError(f"文件“{path.name}”缺少清单（manifest），不是完整的数据交换文件。")
        if any(info.file_size > _MAX_MEMBER_BYTES for info in infos.values()) \
                or infos[MANIFEST].file_size > _MAX_MANIFEST_BYTES:
            raise DamagedFileError(damaged)
        manifest_bytes = archive.read(MANIFEST)
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise DamagedFileError(f"文件“{path.name}”不是本程序导出的数据交换文件，没有导入任何数据。")
        if manifest.get("format_version") == 1:
            raise DamagedFileError(
                f"文件“{path.name}”由旧版程序导出，没有签名，无法确认是哪个调解室报送的，没有导入任何数据。"
                "请让调解室升级本程序后重新导出。")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise DamagedFileError(
                f"文件“{path.name}”的格式版本为 {str(manifest.get('format_version'))[:20]}，当前程序无法读取，"
                "请把本程序升级到与调解室相同的版本。")
        _check_signature(path.name, manifest, manifest_bytes, archive, infos)
        listed = manifest.get("members")
        counts = manifest.get("counts")
        if not isinstance(listed, dict) or not isinstance(counts, dict) \
                or set(listed) != set(infos) - {MANIFEST, SIGNATURE}:
            raise DamagedFileError(damaged)
        tables: dict[str, list[dict[str, Any]]] = {}
        for member, digest in listed.items():
            data = archive.read(member)  # zipfile checks each member's CRC as it reads
            if hashlib.sha256(data).hexdigest() != digest:
                raise DamagedFileError(
                    f"文件“{path.name}”中的 {member} 校验不符（文件已损坏或被改动），没有导入任何数据。")
            rows = json.loads(data)
            table = member.removeprefix(DATA_DIR).removesuffix(".json")
            if not isinstance(rows, list) or counts.get(table) != len(rows):
                raise DamagedFileError(damaged)
            tables[table] = rows
    return Package(path, manifest, tables, hashlib.sha256(raw).hexdigest())


def _check_signature(name: str, manifest: dict[str, Any], manifest_bytes: bytes, archive: zipfile.ZipFile,
                     infos: dict[str, zipfile.ZipInfo]) -> None:
    """The manifest must be signed by the key it names; the key's owner is checked by the importer."""
    if SIGNATURE not in infos or infos[SIGNATURE].file_size > 1024 or not _signing.is_public_key(
            manifest.get("public_key")):
        raise DamagedFileError(f"文件“{name}”没有有效的签名，无法确认是哪个调解室报送的，没有导入任何数据。")
    signature = archive.read(SIGNATURE).decode("ascii", errors="replace").strip()
    if not _signing.signature_holds(str(manifest["public_key"]), signature, manifest_bytes):
        raise DamagedFileError(
            f"文件“{name}”的签名与内容不符：文件在调解室导出后被改动过，没有导入任何数据。请让调解室重新导出后再导入。")
