"""The encrypted backup container (storage/sealed.py): what is written reads back only with the passphrase,
and any change to the file (a byte, the header, the order or number of its chunks) is caught.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from pathlib import Path

import pytest

from wuye_desktop.errors import StorageError
from wuye_desktop.storage import sealed

PASS = "门口的桂花树2026"
CHUNK = 1 << sealed.CHUNK_LOG2
SEALED_CHUNK = CHUNK + sealed.TAG_SIZE


def _seal(tmp_path: Path, size: int, scans: int = 0) -> tuple[Path, bytes, dict[str, bytes]]:
    register = tmp_path / "register.db"
    content = os.urandom(size)
    register.write_bytes(content)
    files = {}
    for n in range(scans):
        data = f"扫描件 {n} ".encode() * 300
        sha = hashlib.sha256(data).hexdigest()
        (tmp_path / f"scan{n}").write_bytes(data)
        files[sha] = data
    target = tmp_path / "备份.wuyebak"
    sealed.write(target, PASS, register, [(sha, tmp_path / f"scan{n}") for n, sha in enumerate(files)])
    return target, content, files


@pytest.mark.parametrize("size", [0, 1000, CHUNK - 4096, 3 * CHUNK])
def test_what_is_sealed_reads_back_whole_at_any_size(tmp_path: Path, size: int) -> None:
    target, content, files = _seal(tmp_path, size, scans=2)

    opened = sealed.read(target, PASS, tmp_path / "out.db", tmp_path / "scans")

    assert (tmp_path / "out.db").read_bytes() == content
    assert opened.scans == {sha: sha for sha in files}
    assert all((tmp_path / "scans" / sha[:2] / sha).read_bytes() == data for sha, data in files.items())
    if size:
        assert content[:64] not in target.read_bytes(), "nothing of the register is readable in the file"


def test_the_header_is_the_documented_one(tmp_path: Path) -> None:
    target, _content, _files = _seal(tmp_path, 10)
    header = target.read_bytes()[:sealed.HEADER_SIZE]

    assert header[:8] == b"WUYEBAK\x00" and sealed.HEADER_SIZE == 57
    version, kdf, log2_n, r, p, chunk_log2 = header[8:14]
    assert (version, kdf, log2_n, r, p, chunk_log2) == (1, 1, 17, 8, 1, 20)
    assert struct.unpack(">I", header[53:57])[0] == zlib.crc32(header[:53])
    again = tmp_path / "again"
    again.mkdir()
    other, _c, _f = _seal(again, 10)
    assert other.read_bytes()[14:37] != header[14:37], "every file has its own salt and nonce prefix"


def test_a_wrong_passphrase_is_told_before_anything_is_written(tmp_path: Path) -> None:
    target, _content, _files = _seal(tmp_path, 5000)
    with pytest.raises(sealed.WrongPassphraseError) as wrong:
        sealed.read(target, "门口的桂花树2025", tmp_path / "out.db", None)
    assert "备份密码不正确" in wrong.value.message
    assert not (tmp_path / "out.db").exists()
    sealed.check_passphrase(target, PASS)


def test_the_same_passphrase_typed_differently_opens_it(tmp_path: Path) -> None:
    target, content, _files = _seal(tmp_path, 100)
    decomposed = "e\u0301" * 2 + PASS  # the same letters in another Unicode form than the one given below
    register = tmp_path / "r.db"
    register.write_bytes(content)
    sealed.write(target, "\u00e9" * 2 + PASS, register, [])
    sealed.read(target, decomposed, tmp_path / "out.db", None)
    assert (tmp_path / "out.db").read_bytes() == content


def _rewritten_header(header: bytes, offset: int, value: int) -> bytes:
    """The header with one byte changed and its CRC made to fit: only the authentication can notice."""
    body = bytearray(header[:53])
    body[offset] = value
    return bytes(body) + struct.pack(">I", zlib.crc32(bytes(body)))


@pytest.mark.parametrize("change", ["swap two chunks", "drop the last chunk", "drop a middle chunk",
                                    "append a chunk", "nonce prefix in the header", "a tag byte"])
def test_any_change_to_the_chunks_or_the_header_is_caught(tmp_path: Path, change: str) -> None:
    target, _content, _files = _seal(tmp_path, 3 * CHUNK)
    data = target.read_bytes()
    header, body = data[:sealed.HEADER_SIZE], data[sealed.HEADER_SIZE:]
    chunks = [body[i:i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]
    assert len(chunks) == 4
    if change == "swap two chunks":
        chunks[0], chunks[1] = chunks[1], chunks[0]
    elif change == "drop the last chunk":
        chunks.pop()
    elif change == "drop a middle chunk":
        chunks.pop(1)
    elif change == "append a chunk":
        chunks.append(chunks[1])
    elif change == "nonce prefix in the header":
        header = _rewritten_header(header, 30, header[30] ^ 0xFF)
    else:
        chunks[2] = chunks[2][:-1] + bytes([chunks[2][-1] ^ 1])
    target.write_bytes(header + b"".join(chunks))

    with pytest.raises(sealed.DamagedError) as damaged:
        sealed.read(target, PASS, tmp_path / "out.db", tmp_path / "scans")
    assert "已损坏" in damaged.value.message


def test_a_hostile_header_cannot_ask_for_unbounded_memory(tmp_path: Path) -> None:
    target, _content, _files = _seal(tmp_path, 10)
    data = target.read_bytes()
    target.write_bytes(_rewritten_header(data[:sealed.HEADER_SIZE], 10, 40) + data[sealed.HEADER_SIZE:])
    with pytest.raises(sealed.DamagedError, match="文件头已损坏"):
        sealed.read(target, PASS, tmp_path / "out.db", None)


def test_a_newer_format_is_told_as_such(tmp_path: Path) -> None:
    target, _content, _files = _seal(tmp_path, 10)
    data = target.read_bytes()
    target.write_bytes(_rewritten_header(data[:sealed.HEADER_SIZE], 8, 2) + data[sealed.HEADER_SIZE:])
    with pytest.raises(StorageError, match="更新版本的程序"):
        sealed.read(target, PASS, tmp_path / "out.db", None)
