"""Encrypted backups: the file a backup that leaves the PC (a USB stick) is written as.

Inside is a tar stream holding the register (``register.db``, a checked
snapshot) and the scans it refers to (``attachments/ab/ab12…``), so nothing
readable goes onto the stick. The stream is encrypted with AES-256-GCM, the
key made from the user's passphrase with scrypt, both from the
``cryptography`` package. The file is written and read in chunks, so a
500 MB register never sits in memory (only one chunk at a time does).

The container (every number big-endian)::

    offset size
      0     8   magic b"WUYEBAK\\x00"
      8     1   format version (1)
      9     1   key derivation (1: scrypt)
     10     1   scrypt log2(N)
     11     1   scrypt r
     12     1   scrypt p
     13     1   log2 of the chunk size (20: 1 MiB)
     14    16   salt
     30     7   nonce prefix (random, one per file)
     37    16   passphrase check: bytes 32…47 of the scrypt output
     53     4   CRC-32 of bytes 0…52 (a damaged header is told from a wrong passphrase)
     57     …   chunks

scrypt gives 48 bytes: the first 32 are the AES key, the next 16 are kept
in the header so that a wrong passphrase is told as such before anything is
decrypted (it tells an attacker nothing the first chunk would not).
Every chunk is ``AES-GCM(key, nonce, plaintext, aad=header)``, i.e. its
ciphertext followed by the 16-byte tag; the nonce is the prefix, the
chunk's number (4 bytes) and a last-chunk flag (1 byte: 1 on the last chunk,
0 on the others). All chunks but the last hold exactly one chunk size of
plaintext. The header is authenticated with every chunk, chunks cannot be
reordered (their number is in the nonce), and a file cut short is caught
because its new last chunk was not sealed as the last one (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import struct
import tarfile
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from wuye_desktop.errors import StorageError
from wuye_desktop.storage.backup import BackupCancelledError
from wuye_desktop.storage.private import create_file, make_folder

MAGIC = b"WUYEBAK\x00"
VERSION = 1
KDF_SCRYPT = 1
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1  # 128 MiB and about a second: the cost of every guess
CHUNK_LOG2 = 20
SUFFIX = ".wuyebak"
REGISTER_MEMBER = "register.db"
ATTACHMENTS_MEMBER = "attachments"

_HEAD = struct.Struct(">8sBBBBBB16s7s16s")
HEADER_SIZE = _HEAD.size + 4
TAG_SIZE = 16
_ATTACHMENT_NAME = re.compile(r"attachments/([0-9a-f]{2})/(\1[0-9a-f]{62})")
# What a header may ask for: a damaged or hostile file must not make the program take gigabytes.
_LOG2_N_RANGE, _R_RANGE, _P_RANGE, _CHUNK_RANGE = range(14, 21), range(1, 17), range(1, 5), range(12, 25)

_REPORT_EVERY = 1 << 20  # progress (and through it the window's signals) once a megabyte, not per block

Progress = Callable[[int, int], None]


class WrongPassphraseError(StorageError):
    """The passphrase does not open this encrypted backup."""


class DamagedError(StorageError):
    """An encrypted backup whose bytes are not the ones written: cut short, edited or worn out."""


def normal(passphrase: str) -> bytes:
    """The bytes a passphrase stands for: typed on another PC or read from a file, the same."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


@dataclass(frozen=True)
class _Header:
    raw: bytes
    log2_n: int
    r: int
    p: int
    chunk: int
    salt: bytes
    prefix: bytes
    check: bytes

    @classmethod
    def new(cls) -> _Header:
        import secrets

        salt, prefix = secrets.token_bytes(16), secrets.token_bytes(7)
        return cls(b"", SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, 1 << CHUNK_LOG2, salt, prefix, b"")

    def key(self, passphrase: str) -> tuple[bytes, bytes]:
        """(AES key, passphrase check) from the passphrase and this file's salt and costs."""
        made = Scrypt(salt=self.salt, length=48, n=1 << self.log2_n, r=self.r, p=self.p).derive(normal(passphrase))
        return made[:32], made[32:]

    def sealed_with(self, check: bytes) -> _Header:
        body = _HEAD.pack(MAGIC, VERSION, KDF_SCRYPT, self.log2_n, self.r, self.p,
                          self.chunk.bit_length() - 1, self.salt, self.prefix, check)
        return _Header(body + struct.pack(">I", zlib.crc32(body)), self.log2_n, self.r, self.p, self.chunk,
                       self.salt, self.prefix, check)

    @classmethod
    def read(cls, fh: IO[bytes], name: str) -> _Header:
        raw = fh.read(HEADER_SIZE)
        if len(raw) < HEADER_SIZE or not raw.startswith(MAGIC):
            raise DamagedError(f"加密备份“{name}”的文件头不完整，文件已损坏，不能用来恢复。台账没有任何改动。")
        _magic, version, kdf, log2_n, r, p, chunk_log2, salt, prefix, check = _HEAD.unpack(raw[:_HEAD.size])
        (crc,) = struct.unpack(">I", raw[_HEAD.size:])
        whole = crc == zlib.crc32(raw[:_HEAD.size])
        if (version, kdf) != (VERSION, KDF_SCRYPT) and (whole or version > VERSION):
            raise StorageError(f"加密备份“{name}”由更新版本的程序创建（加密格式 {version}），当前程序无法打开它。"
                               "请先安装最新版本的程序，台账没有任何改动。")
        if (not whole or log2_n not in _LOG2_N_RANGE or r not in _R_RANGE or p not in _P_RANGE
                or chunk_log2 not in _CHUNK_RANGE):
            raise DamagedError(f"加密备份“{name}”的文件头已损坏，不能用来恢复。台账没有任何改动。")
        return cls(raw, log2_n, r, p, 1 << chunk_log2, salt, prefix, check)

    def nonce(self, index: int, last: bool) -> bytes:
        if index >= 1 << 32:
            raise StorageError("备份太大，超出了加密格式能容纳的大小。")
        return self.prefix + struct.pack(">IB", index, 1 if last else 0)


# -- writing ---------------------------------------------------------------------------------


class _SealingWriter:
    """A write-only stream that encrypts what it is given, one chunk at a time, into ``out``."""

    def __init__(self, out: IO[bytes], header: _Header, key: bytes) -> None:
        self.out = out
        self.header = header
        self.aead = AESGCM(key)
        self.pending = bytearray()
        self.index = 0

    def write(self, data: bytes) -> int:
        self.pending += data
        chunk = self.header.chunk
        # Strictly more than a chunk: the chunk that ends the stream must still be here when it ends.
        while len(self.pending) > chunk:
            self._emit(bytes(self.pending[:chunk]), last=False)
            del self.pending[:chunk]
        return len(data)

    def finish(self) -> None:
        self._emit(bytes(self.pending), last=True)
        self.pending.clear()

    def _emit(self, plain: bytes, last: bool) -> None:
        self.out.write(self.aead.encrypt(self.header.nonce(self.index, last), plain, self.header.raw))
        self.index += 1


def write(target: Path, passphrase: str, register: Path, attachments: list[tuple[str, Path]],
          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> dict[str, str]:
    """Write ``register`` and the ``(sha256, file)`` scans as an encrypted backup at ``target`` (0600).

    ``target`` may exist (an empty file that claimed the name); it is overwritten. The caller fsyncs and
    publishes it. Returns each scan's name and the sha256 of what was written for it (a scan damaged on
    this PC already differs from its name: the read-back check compares with what was written).
    """
    header = _Header.new()
    key, check = header.key(passphrase)
    header = header.sealed_with(check)
    total = register.stat().st_size + sum(file.stat().st_size for _sha, file in attachments)
    done = reported = 0

    def step(size: int) -> None:
        nonlocal done, reported
        done += size
        if cancelled is not None and cancelled():
            raise BackupCancelledError
        if progress is not None and (done - reported >= _REPORT_EVERY or done == total):
            reported = done
            progress(done, max(total, 1))

    written: dict[str, str] = {}
    with open(create_file(target, exclusive=False), "wb") as out:
        out.write(header.raw)
        sealing = _SealingWriter(out, header, key)
        with tarfile.open(fileobj=sealing, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            _add(tar, REGISTER_MEMBER, register, step)
            for sha, file in attachments:
                written[sha] = _add(tar, f"{ATTACHMENTS_MEMBER}/{sha[:2]}/{sha}", file, step)
        sealing.finish()
        out.flush()
    return written


def _add(tar: tarfile.TarFile, name: str, file: Path, step: Callable[[int], None]) -> str:
    info = tarfile.TarInfo(name)
    info.size = file.stat().st_size
    info.mode = 0o600
    with file.open("rb") as fh:
        counting = _Counting(fh, step)
        tar.addfile(info, counting)
    return counting.digest.hexdigest()


class _Counting:
    """A file read by ``tarfile`` that reports each block (progress and cancel work inside a big member)
    and hashes what it hands over."""

    def __init__(self, fh: IO[bytes], step: Callable[[int], None]) -> None:
        self.fh = fh
        self.step = step
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        self.step(len(data))
        return data


# -- reading ---------------------------------------------------------------------------------


class _OpeningReader:
    """A read-only stream of the plaintext, decrypting one chunk at a time and checking each."""

    def __init__(self, fh: IO[bytes], header: _Header, key: bytes, name: str) -> None:
        self.fh = fh
        self.header = header
        self.aead = AESGCM(key)
        self.name = name
        self.index = 0
        self.size = header.chunk + TAG_SIZE
        self.ahead = fh.read(self.size)
        self.buffer = b""
        self.offset = 0
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size if size >= 0 else 1 << 62
        while wanted > 0:
            if self.offset >= len(self.buffer) and not self._next():
                break
            part = self.buffer[self.offset:self.offset + wanted]
            self.offset += len(part)
            wanted -= len(part)
            parts.append(part)
        return b"".join(parts)

    def drain(self) -> None:
        """Read to the end: only the last chunk's tag says the file was not cut short."""
        while self._next():
            pass

    def _next(self) -> bool:
        if self.ended:
            return False
        sealed = self.ahead
        self.ahead = self.fh.read(self.size)
        last = not self.ahead
        if len(sealed) < TAG_SIZE or (not last and len(sealed) != self.size):
            raise self._damaged()
        try:
            self.buffer = self.aead.decrypt(self.header.nonce(self.index, last), sealed, self.header.raw)
        except InvalidTag:
            raise self._damaged() from None
        self.offset = 0
        self.index += 1
        self.ended = last
        return True

    def _damaged(self) -> DamagedError:
        return DamagedError(f"加密备份“{self.name}”已损坏（第 {self.index + 1} 段内容校验失败："
                            "文件被截断、改动或U盘出错），不能用来恢复。台账没有任何改动。")


@contextmanager
def _opened(path: Path, passphrase: str) -> Iterator[_OpeningReader]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise StorageError(f"无法读取加密备份“{path}”：{exc.strerror or exc}。台账没有任何改动。") from exc
    with fh:
        header = _Header.read(fh, path.name)
        key, check = header.key(passphrase)
        if not hmac.compare_digest(check, header.check):
            raise WrongPassphraseError(f"备份密码不正确，无法打开加密备份“{path.name}”。台账没有任何改动。")
        yield _OpeningReader(fh, header, key, path.name)


def check_passphrase(path: Path, passphrase: str) -> None:
    """``WrongPassphraseError`` unless ``passphrase`` opens ``path`` (reads only the header)."""
    with _opened(path, passphrase):
        pass


@dataclass(frozen=True)
class Opened:
    register: Path  # where the register was written
    scans: dict[str, str]  # each scan's name and the sha256 of its content (equal unless damaged before)


def read(path: Path, passphrase: str, register_to: Path, attachments_to: Path | None,
         progress: Progress | None = None) -> Opened:
    """Decrypt ``path``: its register to ``register_to`` (0600), its scans into ``attachments_to``
    (content-addressed, 0600; only those whose content matches their name; ``None``: only read),
    checking every chunk.

    ``WrongPassphraseError``, ``DamagedError`` or ``StorageError`` if it cannot be opened whole; whatever
    was written by then is left for the caller to remove.
    """
    total = max(path.stat().st_size, 1)
    with _opened(path, passphrase) as reader:
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                found_register, scans = _members(tar, reader, path.name, register_to, attachments_to,
                                                 progress, total)
        except tarfile.TarError as exc:
            raise DamagedError(f"加密备份“{path.name}”的内容不完整（{exc}），不能用来恢复。台账没有任何改动。") from exc
        reader.drain()
    if not found_register:
        raise StorageError(f"加密备份“{path.name}”中没有台账，不是本程序的备份。台账没有任何改动。")
    if progress is not None:
        progress(total, total)
    return Opened(register_to, scans)


def _members(tar: tarfile.TarFile, reader: _OpeningReader, name: str, register_to: Path,
             attachments_to: Path | None, progress: Progress | None, total: int) -> tuple[bool, dict[str, str]]:
    found_register, scans = False, {}
    for member in tar:
        if not member.isfile():
            raise StorageError(f"加密备份“{name}”中有不属于台账备份的内容（{member.name}），没有恢复。")
        source = tar.extractfile(member)
        assert source is not None  # a regular file always has one
        if member.name == REGISTER_MEMBER and not found_register:
            _copy(source, register_to, reader, progress, total)
            found_register = True
            continue
        matched = _ATTACHMENT_NAME.fullmatch(member.name)
        if matched is None:
            raise StorageError(f"加密备份“{name}”中有不属于台账备份的内容（{member.name}），没有恢复。")
        sha = matched.group(2)
        target = None if attachments_to is None else attachments_to / sha[:2] / f"{sha}.partial"
        if target is not None:
            make_folder(target.parent)
        scans[sha] = _copy(source, target, reader, progress, total)
        if target is not None:
            if scans[sha] == sha:
                os.replace(target, target.with_name(sha))
            else:  # damaged on the PC it was backed up from: not put back as if it were the scan
                target.unlink()
    return found_register, scans


def _copy(source: IO[bytes], target: Path | None, reader: _OpeningReader, progress: Progress | None,
          total: int) -> str:
    """Copy a member out (or only hash it when ``target`` is None); its sha256."""
    digest = hashlib.sha256()
    reported = 0
    with open(create_file(target, exclusive=False), "wb") if target is not None else nullcontext() as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            if out is not None:
                out.write(block)
            read_so_far = min(reader.index * reader.size, total)
            if progress is not None and read_so_far - reported >= _REPORT_EVERY:
                reported = read_so_far
                progress(read_so_far, total)
    return digest.hexdigest()
