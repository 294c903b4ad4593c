"""Writing and verifying the audit trail: a chain signed with the register's key, anchored outside it.

An entry is written in the same transaction as the change it records, so
there is never a change without its entry or an entry for a change that
was rolled back.

Each entry's code is an HMAC-SHA256 (``entry_mac``) over its number, the
previous entry's code and its own fields, under the register's audit key.
The key is kept outside the register by this Windows account
(``storage/keys.py``: the system keyring, else a file only this user can
read), so whoever edits the file cannot compute a valid code: an edited,
inserted or recomputed entry fails its own code, a deleted one breaks the
link of the entry after it.

Removing entries from the end (or all of them) leaves a shorter chain that
still links. So the last entry this PC wrote (its number and code) is kept
as the chain's *anchor*, outside the register too, next to the key
(``audit-anchor``); it is moved only once the write that added the entry
has committed, so it is never ahead of the register. It may lag behind
(another PC, or another program on this PC, wrote since): the entries after
it are then checked one by one under the key. It never moves on over a
trail that no longer holds it, so a truncation stays told after the program
writes on. Every backup's manifest entry keeps the anchor of what the
backup held as well (``services/safety/backups.py``). The ``audit.head``
setting, written with each entry, still says where the chain ended.

How the trail is signed is the setting ``audit.chain``, itself signed:
segments of entries, each from an entry number on, chained the old way
(SHA-256 without a key, by earlier versions of the program) or under a key
named by its fingerprint. An old register is upgraded once when it is opened
(``upgrade``): its old chain is checked first; an intact one is re-chained
under the key, a broken one is kept as it was (its breaks stay visible, and
the upgrade entry names them) and the key signs from the next entry on;
either way the upgrade is an entry of its own.

A PC without the register's key (a restore from a USB stick, a second PC
on the server) cannot check the trail and refuses to add to it
(``AuditKeyMissingError``): the key is carried over in a file
(``key_file_text`` / ``import_key_file``). When the key is lost for good,
``take_over`` starts a new one on this PC, as an entry of its own; the
entries before it can then be checked only for their links here.

What this cannot detect: someone who holds both the key (this Windows
account) and the register can rewrite the trail and the anchor alike.
Backups kept elsewhere are the remedy for that.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, event, func, select, text, type_coerce, update
from sqlalchemy.orm import Session

from wuye_desktop.errors import StorageError
from wuye_desktop.models import AuditEvent, Setting
from wuye_desktop.services.context import SYSTEM_USER
from wuye_desktop.services.validation import mask_address, mask_id, mask_phone
from wuye_desktop.storage import keys
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.redact import redact

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# Not user settings (settings.validate refuses them): where the chain ends, how it is signed, whose it is.
HEAD_KEY = "audit.head"
CHAIN_KEY = "audit.chain"
# The register's own identity, made when the register is, kept by every copy of it (backups, a move to the
# server); its secrets outside the file are filed under it (storage/keys.py). ``settings`` names it too.
REGISTER_UID = "register.uid"
KEY_NAME = "audit-key"
ANCHOR_NAME = "audit-anchor"
OLD_SCHEME = "sha256"  # the segment of a trail chained the old way, without a key
ACTOR_LENGTH = 40
_ENTRY_TAG = "wuye-audit-entry/2"
_CHAIN_TAG = "wuye-audit-chain/2"
_KEY_FILE = "wuye-audit-key"
_SIGNER = "wuye_audit_signer"  # session.info: the key and anchor of the unit of work's entries

# Personal fields of a change, masked before they reach the trail.
PERSONAL_FIELDS: dict[str, Callable[[str | None], str]] = {
    "phone": mask_phone, "contact_phone": mask_phone, "caller_phone": mask_phone,
    "id_number": mask_id, "address": mask_address,
}


class AuditKeyMissingError(StorageError):
    """This PC does not hold the key the register's trail is signed with."""


def missing_key_message(fingerprint: str) -> str:
    return (f"本机没有这本台账的审计密钥（密钥编号 {fingerprint}），无法核对审计记录是否被改动，也不能写入新的记录。"
            "请在保存着密钥的电脑上运行 wuye audit export-key 密钥文件，把文件带到本机后运行 "
            "wuye audit import-key 密钥文件；原来的电脑和密钥都已丢失时，管理员可运行 wuye audit new-key "
            "在本机启用新密钥（此前的记录在本机只能核对链条是否连续）。")


# -- the register's identity ---------------------------------------------------------------------


def register_uid(session: Session) -> str:
    """This register's identity; made the first time it is asked for."""
    value = _stored_uid(session)
    if value is not None:
        return value
    import uuid

    made = uuid.uuid4().hex
    session.add(Setting(key=REGISTER_UID, value=made))
    session.flush()
    return made


def _stored_uid(session: Session) -> str | None:
    value = session.scalar(select(Setting.value).where(Setting.key == REGISTER_UID))
    return value if isinstance(value, str) and value.isalnum() else None


# -- the codes -----------------------------------------------------------------------------------


def legacy_hash(prev_hash: str, at: datetime, actor: str, action: str,
                object_type: str, object_id: str, detail: str) -> str:
    """An entry's code as earlier versions computed it: SHA-256, no key (anyone can recompute it)."""
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, object_type, object_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_mac(key: bytes, entry_id: int, prev_hash: str, at: datetime, actor: str, action: str,
              object_type: str, object_id: str, detail: str) -> str:
    """An entry's code: HMAC-SHA256 under the register's key, over its number, the link and its fields."""
    payload = json.dumps(
        [_ENTRY_TAG, entry_id, prev_hash, at.isoformat(timespec="microseconds"), actor, action, object_type,
         object_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A key's fingerprint: names it in the register and in messages without giving it away."""
    return hmac.new(key, b"wuye-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _is_fingerprint(name: str) -> bool:
    return len(name) == 16 and all(c in "0123456789abcdef" for c in name)


# -- how the trail is signed -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Chain:
    segments: tuple[tuple[int, str], ...]  # (first entry number, OLD_SCHEME or a key fingerprint), in order

    @property
    def current(self) -> str:
        return self.segments[-1][1]

    def scheme_of(self, entry_id: int) -> str:
        scheme = self.segments[0][1]
        for start, name in self.segments:
            if entry_id >= start:
                scheme = name
        return scheme

    def fingerprints(self) -> list[str]:
        return [name for _start, name in self.segments if name != OLD_SCHEME]

    def value(self, key: bytes) -> dict[str, Any]:
        segments = [[start, name] for start, name in self.segments]
        return {"segments": segments, "mac": _chain_mac(key, segments)}


def _chain_mac(key: bytes, segments: list[list[Any]]) -> str:
    payload = json.dumps([_CHAIN_TAG, segments], separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _parse_chain(raw: object) -> _Chain | None:
    """The chain setting as stored, or ``None`` when it is not one (edited by hand)."""
    try:
        segments = tuple((int(start), str(name)) for start, name in raw["segments"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    if not segments or any(name != OLD_SCHEME and not _is_fingerprint(name) for _s, name in segments):
        return None
    if segments[-1][1] == OLD_SCHEME:
        return None
    return _Chain(segments)


def _chain_setting(session: Session) -> object:
    return session.scalar(select(Setting.value).where(Setting.key == CHAIN_KEY))


def _write_chain(session: Session, chain: _Chain, key: bytes) -> None:
    row = session.scalar(select(Setting).where(Setting.key == CHAIN_KEY))
    if row is None:
        session.add(Setting(key=CHAIN_KEY, value=chain.value(key)))
    else:
        row.value = chain.value(key)
    session.flush()
    session.info.pop(_SIGNER, None)  # the next entry is signed the new way


def _key_for(uid: str, fingerprint: str) -> bytes | None:
    """The key with this fingerprint, if this PC holds it (as its own or as one it was given)."""
    for name in (KEY_NAME, f"{KEY_NAME}-{fingerprint}"):
        found = keys.load(uid, name)
        if found is not None and key_id(found) == fingerprint:
            return found
    return None


# -- the anchor ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    id: int
    mac: str


def _load_anchor(uid: str) -> Anchor | None:
    raw = keys.load(uid, ANCHOR_NAME)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return Anchor(int(data["id"]), str(data["mac"]))
    except (ValueError, KeyError, TypeError):
        log.warning("the audit anchor of register %s is unreadable", uid)
        return None


def _store_anchor(uid: str, anchor: Anchor) -> None:
    keys.store(uid, ANCHOR_NAME, json.dumps({"id": anchor.id, "mac": anchor.mac}).encode("ascii"))


@dataclass
class _Signer:
    uid: str
    key: bytes
    anchor_holds: bool  # this PC's anchor is in the trail (or there is none yet): it may move on
    wrote: bool = False
    head: Anchor | None = None  # the trail's last entry as this unit of work commits it
    force: bool = False  # the trail was replaced or re-signed by the program: anchor it wherever it is


def _signer(session: Session, has_entries: bool) -> _Signer | None:
    """How this unit of work signs its entries; ``None``: the old way (an old register not opened yet)."""
    found = session.info.get(_SIGNER)
    if isinstance(found, _Signer):
        return found
    raw = _chain_setting(session)
    if raw is None and has_entries:
        return None  # upgraded when it is next opened (``upgrade``), after its old chain was checked
    uid = register_uid(session)
    key = _signing_key(session, uid, raw)
    anchor = _load_anchor(uid)
    holds = anchor is None or session.scalar(
        select(AuditEvent.entry_hash).where(AuditEvent.id == anchor.id)) == anchor.mac
    signer = _Signer(uid, key, holds)
    session.info[_SIGNER] = signer
    return signer


def _signing_key(session: Session, uid: str, raw: object) -> bytes:
    if raw is None:  # a new register: signed from its first entry
        made = keys.load_or_create(uid, KEY_NAME)
        _write_chain(session, _Chain(((0, key_id(made)),)), made)
        return made
    chain = _parse_chain(raw)
    if chain is None:  # the setting was edited by hand: go on signing with this PC's key, verify tells it
        own = keys.load(uid, KEY_NAME)
        if own is None:
            raise AuditKeyMissingError(missing_key_message("未知"))
        return own
    key = _key_for(uid, chain.current)
    if key is None:
        raise AuditKeyMissingError(missing_key_message(chain.current))
    return key


def _before_commit(session: Session) -> None:
    signer = session.info.get(_SIGNER)
    if isinstance(signer, _Signer) and (signer.wrote or signer.force):
        last = session.execute(select(AuditEvent.id, AuditEvent.entry_hash)
                               .order_by(AuditEvent.id.desc()).limit(1)).first()
        signer.head = None if last is None else Anchor(int(last[0]), str(last[1]))


def _after_commit(session: Session) -> None:
    """Move this PC's anchor to the committed head: never ahead of it, never over a trail that lost it."""
    signer = session.info.pop(_SIGNER, None)
    if not isinstance(signer, _Signer) or signer.head is None:
        return
    try:
        current = _load_anchor(signer.uid)
        if signer.force or current is None or (signer.anchor_holds and current.id < signer.head.id):
            _store_anchor(signer.uid, signer.head)
        elif not signer.anchor_holds:
            log.warning("audit anchor of register %s kept at entry %d: the trail no longer holds it",
                        signer.uid, current.id)
    except StorageError as exc:  # the write is committed; a lagging anchor is allowed
        log.warning("audit anchor not moved: %s", exc.message)


def _after_rollback(session: Session) -> None:
    session.info.pop(_SIGNER, None)


event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)


# -- writing -------------------------------------------------------------------------------------


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain; SQLite's BEGIN IMMEDIATE already does.
        session.execute(text("SELECT pg_advisory_xact_lock(7460)"))


def _next_id(session: Session, last_id: int) -> int:
    if session.get_bind().dialect.name == "postgresql":
        drawn = int(session.scalar(text("SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))")) or 0)
        return max(drawn, last_id + 1)
    return last_id + 1


def record(session: Session, actor: str, action: str, object_type: str = "",
           object_id: object = "", detail: dict[str, Any] | None = None,
           at: datetime | None = None) -> AuditEvent:
    """Append one entry; ``detail`` must already be masked where it holds personal data.

    As a safety net any ID or mobile number left in ``detail`` is masked here too.
    Raises ``AuditKeyMissingError`` on a PC without the register's key: nothing is written unsigned.
    """
    _lock(session)
    last = session.execute(select(AuditEvent.id, AuditEvent.entry_hash)
                           .order_by(AuditEvent.id.desc()).limit(1)).first()
    signer = _signer(session, has_entries=last is not None)
    when = (at or datetime.now()).replace(tzinfo=None)
    detail_text = redact(json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str))
    who = actor[:ACTOR_LENGTH]
    prev_hash = str(last[1]) if last is not None else GENESIS
    event_id = _next_id(session, int(last[0]) if last is not None else 0)
    oid = str(object_id)
    code = (legacy_hash(prev_hash, when, who, action, object_type, oid, detail_text) if signer is None
            else entry_mac(signer.key, event_id, prev_hash, when, who, action, object_type, oid, detail_text))
    entry = AuditEvent(id=event_id, at=when, actor=who, action=action, object_type=object_type,
                       object_id=oid, detail=detail_text, prev_hash=prev_hash, entry_hash=code)
    session.add(entry)
    session.flush()
    _move_head(session, entry)
    if signer is not None:
        signer.wrote = True
    return entry


def _move_head(session: Session, entry: AuditEvent) -> None:
    head = {"id": entry.id, "hash": entry.entry_hash}
    row = session.scalar(select(Setting).where(Setting.key == HEAD_KEY))
    if row is None:
        session.add(Setting(key=HEAD_KEY, value=head))
    else:
        row.value = head
    session.flush()


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """``{field: [old, new]}`` for the fields that changed, personal values masked (for ``detail``)."""
    changed: dict[str, list[object]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        mask = PERSONAL_FIELDS.get(name)
        if mask is not None:
            old, new = mask(str(old or "")), mask(str(new or ""))
        changed[name] = [old, new]
    return changed


# -- the upgrade of an old trail, a new key, a restored trail ---------------------------------------


def upgrade(db: Database, actor: str = SYSTEM_USER, *, replaced: bool = False) -> str | None:
    """Once, for a trail chained the old way: check it, then sign it with the register's key.

    An intact chain is re-chained under the key; a broken one is left as it is
    (its breaks stay visible) and the key signs from the next entry on. The
    upgrade is an entry of its own. Nothing is done when this PC holds an anchor
    of the register (it signed this trail before: ``verify`` tells what became of
    it), unless the program itself just ``replaced`` the register (a restore).
    Returns what was done, in Chinese, or ``None``.
    """
    with db.reading() as session:  # the usual case, and a read-only register: no write at all
        if _chain_setting(session) is not None or session.scalar(select(AuditEvent.id).limit(1)) is None:
            return None
    with db.writing() as session:
        _lock(session)
        if _chain_setting(session) is not None or session.scalar(select(AuditEvent.id).limit(1)) is None:
            return None
        uid = register_uid(session)
        if not replaced and _load_anchor(uid) is not None:
            log.warning("register %s has an unsigned trail but this PC anchored a signed one", uid)
            return None
        walk, problems = _walk_trail(session, None, {})
        problems += _check_head(session, walk)[0]
        key = keys.load_or_create(uid, KEY_NAME)
        fingerprint = key_id(key)
        if problems:
            chain = _Chain(((0, OLD_SCHEME), ((walk.last_id or 0) + 1, fingerprint)))
            detail: dict[str, Any] = {"scheme": "HMAC-SHA256", "kept_unsigned": walk.count,
                                      "old_problems": problems[:10]}
            done = (f"审计记录已改用密钥签名；原有的 {walk.count} 条记录的旧链条已断开（{problems[0]}），"
                    "它们保持原样、没有重新签名，问题仍会在校验时报告。")
        else:
            _rechain(session, key)
            chain = _Chain(((0, fingerprint),))
            detail = {"scheme": "HMAC-SHA256", "rechained": walk.count}
            done = f"审计记录已改用密钥签名：原有的 {walk.count} 条记录核对完好，已用本台账的密钥重新签名。"
        _write_chain(session, chain, key)
        record(session, actor, "audit_upgrade", "audit", "", detail)
        _forced(session)
    (log.warning if problems else log.info)("audit trail of register %s upgraded: %s", uid, done)
    return done


def _rechain(session: Session, key: bytes) -> None:
    prev = GENESIS
    changed: list[dict[str, Any]] = []
    for row in session.execute(_chain_select(session)).all():
        event_id, raw_at, actor, action, object_type, object_id, detail, _prev, _stored = row
        at = _as_datetime(raw_at)
        assert at is not None  # the old chain was checked: every time in it is one
        code = entry_mac(key, event_id, prev, at, actor, action, object_type, object_id, detail)
        changed.append({"id": event_id, "prev_hash": prev, "entry_hash": code})
        prev = code
    if changed:
        session.execute(update(AuditEvent), changed)
        head = session.scalar(select(Setting).where(Setting.key == HEAD_KEY))
        if head is not None:
            head.value = {"id": changed[-1]["id"], "hash": prev}
        session.flush()


def _forced(session: Session) -> None:
    signer = session.info.get(_SIGNER)
    if isinstance(signer, _Signer):
        signer.force = True


def take_over(db: Database, actor: str) -> int:
    """The register's key is lost: sign from here on with a new key made on this PC; an entry of its own.

    Returns how many entries were signed before (checked here only for their links from now on, unless
    the old key is imported later).
    """
    with db.writing() as session:
        _lock(session)
        chain = _parse_chain(_chain_setting(session))
        if chain is None:
            raise StorageError("这本台账的审计记录还没有使用密钥签名（用本程序打开一次台账即可升级），"
                               "不需要启用新密钥。")
        uid = register_uid(session)
        if _key_for(uid, chain.current) is not None:
            raise StorageError("本机保存着这本台账现在使用的审计密钥，不需要启用新密钥。")
        own = keys.load(uid, KEY_NAME)
        if own is not None:  # an older key of this register: kept, for the entries it signed
            keys.store(uid, f"{KEY_NAME}-{key_id(own)}", own)
        key = secrets.token_bytes(32)
        keys.store(uid, KEY_NAME, key)
        last_id = int(session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)
        before = int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
        _write_chain(session, _Chain((*chain.segments, (last_id + 1, key_id(key)))), key)
        record(session, actor, "audit_new_key", "audit", "",
               {"previous_key": chain.current, "key": key_id(key), "entries": before})
        _forced(session)
    return before


def adopt(db: Database, actor: str) -> list[str]:
    """After a restore: the trail the register now holds becomes this PC's, signed and anchored.

    An old backup's trail is upgraded; one signed with a key this PC lacks gets a new key
    (``take_over``); the anchor moves to the restored trail's end. Returns what to tell the user.
    """
    told: list[str] = []
    done = upgrade(db, actor, replaced=True)
    if done:
        told.append(done)
    with db.reading() as session:
        chain = _parse_chain(_chain_setting(session))
        uid = _stored_uid(session)
        last = session.execute(select(AuditEvent.id, AuditEvent.entry_hash)
                               .order_by(AuditEvent.id.desc()).limit(1)).first()
    if chain is None or uid is None or done:
        return told
    if _key_for(uid, chain.current) is None:
        before = take_over(db, actor)
        told.append(f"本机没有这个备份的审计密钥：已在本机启用新密钥，此前的 {before} 条记录在本机"
                    "只能核对链条是否连续。找到原来电脑上导出的密钥文件后，用 wuye audit import-key 导入即可完整核对。")
    elif last is not None:
        _store_anchor(uid, Anchor(int(last[0]), str(last[1])))
    return told


# -- carrying the key to another PC ------------------------------------------------------------------


def key_file_text(db: Database) -> str:
    """The register's audit keys (and this PC's anchor) as the key file holds them (``import_key_file``)."""
    with db.reading() as session:
        chain = _parse_chain(_chain_setting(session))
        uid = _stored_uid(session)
    if chain is None or uid is None:
        raise StorageError("这本台账的审计记录还没有使用密钥签名（用本程序打开一次台账即可升级），没有可以导出的密钥。")
    found = {fp: key for fp in chain.fingerprints() if (key := _key_for(uid, fp)) is not None}
    if chain.current not in found:
        raise AuditKeyMissingError(missing_key_message(chain.current))
    anchor = _load_anchor(uid)
    return json.dumps({
        "format": _KEY_FILE, "version": 1, "register": uid, "current": chain.current,
        "keys": {fp: base64.b64encode(key).decode("ascii") for fp, key in found.items()},
        "anchor": None if anchor is None else {"id": anchor.id, "mac": anchor.mac},
        "exported": datetime.now().isoformat(timespec="seconds"),
    }, ensure_ascii=False, indent=1)


def import_key_file(path: str | Path) -> str:
    """Keep the keys of an exported key file on this PC; returns the register (its uid) they belong to."""
    source = Path(path).expanduser()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StorageError(f"找不到密钥文件“{source}”。") from None
    except (OSError, ValueError) as exc:
        raise StorageError(f"“{source.name}”不是本程序导出的审计密钥文件（{exc}）。") from exc
    found = _read_key_file(data, source.name)
    uid, current = str(data["register"]), str(data["current"])
    own = keys.load(uid, KEY_NAME)
    for fp in sorted(found, key=lambda f: f != current):  # the current key first
        if own is not None and key_id(own) == fp:
            continue
        if own is None and fp == current:
            keys.store(uid, KEY_NAME, found[fp])
            own = found[fp]
        elif keys.load(uid, f"{KEY_NAME}-{fp}") is None:
            keys.store(uid, f"{KEY_NAME}-{fp}", found[fp])
    anchor = data.get("anchor")
    if isinstance(anchor, dict) and _load_anchor(uid) is None:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # none then: the next write here makes one
            _store_anchor(uid, Anchor(int(anchor["id"]), str(anchor["mac"])))
    return uid


def _read_key_file(data: object, name: str) -> dict[str, bytes]:
    wrong = StorageError(f"“{name}”不是本程序导出的审计密钥文件，或已损坏。")
    if not isinstance(data, dict) or data.get("format") != _KEY_FILE:
        raise wrong
    uid, current, stored = data.get("register"), data.get("current"), data.get("keys")
    if not isinstance(uid, str) or not uid.isalnum() or not isinstance(stored, dict) or current not in stored:
        raise wrong
    found: dict[str, bytes] = {}
    for fp, text_key in stored.items():
        try:
            key = base64.b64decode(str(text_key), validate=True)
        except ValueError:
            raise wrong from None
        if key_id(key) != fp:
            raise wrong
        found[fp] = key
    return found


# -- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]
    notes: list[str] = field(default_factory=list)
    no_key: bool = False  # this PC lacks the register's key: the trail could not be checked here

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Walk:
    chain: _Chain | None  # None: an old trail, chained the old way throughout
    keys: dict[str, bytes]  # fingerprint → key, of the keys this PC holds
    count: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS
    last_action: str = ""
    problems: list[str] = field(default_factory=list)
    breaks: list[tuple[int, int | None, str]] = field(default_factory=list)  # (id, id before it, its prev_hash)
    failed: list[tuple[int, int, str, str]] = field(default_factory=list)  # (position, id, kind, label)
    failed_ids: set[int] = field(default_factory=set)
    unchecked: dict[str, list[int]] = field(default_factory=dict)  # fingerprint → ids signed by a key not here


@dataclass
class _State:
    chain: _Chain | None
    keys: dict[str, bytes]
    uid: str | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_key: bool = False


def verify(db: Database) -> ChainReport:
    """Walk the chain from the first entry; name every entry that was edited, removed or inserted."""
    with db.reading() as session:
        state = _state(session)
        walk, problems = _walk_trail(session, state.chain, state.keys)
        head_problems, notes = _check_head(session, walk)
        anchor_problems, anchor_notes = _check_anchor(session, state, walk)
    if anchor_problems:  # the anchor says it better than the head setting the attacker could move
        head_problems = [p for p in head_problems if not p.startswith("末尾")]
    problems += head_problems + anchor_problems
    problems.sort(key=_entry_number)
    return ChainReport(walk.count, state.problems + problems,
                       state.notes + notes + anchor_notes + _unchecked_notes(walk), state.no_key)


def _state(session: Session) -> _State:
    """How the trail is signed and which of its keys this PC holds; what is wrong with that already."""
    uid = _stored_uid(session)
    raw = _chain_setting(session)
    own = keys.load(uid, KEY_NAME) if uid is not None else None
    if raw is None:
        if uid is not None and own is not None and _load_anchor(uid) is not None:
            fingerprint = key_id(own)
            return _State(_Chain(((0, fingerprint),)), {fingerprint: own}, uid, [
                "这本台账的审计记录在本机是用密钥签名的（本机保存着它的密钥和链尾标记），签名设置却不见了："
                "审计记录可能被整体改写过"])
        notes = ["审计记录仍是旧的无密钥方式（打开台账时会自动改用密钥签名）。"] if uid is not None else []
        return _State(None, {}, uid, notes=notes)
    chain = _parse_chain(raw)
    problems: list[str] = []
    if chain is None:
        problems.append("审计记录的签名设置（audit.chain）被改动过，无法读出")
        if own is None:
            return _State(_Chain(((0, "0" * 16),)), {}, uid, [missing_key_message("未知"), *problems], no_key=True)
        chain = _Chain(((0, key_id(own)),))
    if uid is None:
        return _State(chain, {}, uid, ["台账的标识（register.uid）不见了，无法找到它的审计密钥，审计记录无法核对"],
                      no_key=True)
    found = {fp: key for fp in chain.fingerprints() if (key := _key_for(uid, fp)) is not None}
    current = found.get(chain.current)
    if current is None:
        return _State(chain, found, uid, [missing_key_message(chain.current), *problems], no_key=True)
    stored_mac = raw.get("mac") if isinstance(raw, dict) else None
    if not problems and not hmac.compare_digest(str(stored_mac or ""), _chain_mac(
            current, [[start, name] for start, name in chain.segments])):
        problems.append("审计记录的签名设置（audit.chain）被改动过：哪些记录用密钥签名被人改写了")
    return _State(chain, found, uid, problems)


def _walk_trail(session: Session, chain: _Chain | None, held: dict[str, bytes]) -> tuple[_Walk, list[str]]:
    walk = _Walk(chain, held)
    for row in session.execute(_chain_select(session)).yield_per(2000):
        _check_entry(walk, row)
    problems = walk.problems + _failures(walk) + [_explain_break(session, b) for b in walk.breaks]
    return walk, problems


def _chain_select(session: Session) -> Any:
    at = AuditEvent.at
    if session.get_bind().dialect.name == "sqlite":
        # Read the stored text: an edited timestamp must be reported, not crash the check.
        at = type_coerce(AuditEvent.at, String())  # type: ignore[assignment]
    return select(AuditEvent.id, at, AuditEvent.actor, AuditEvent.action, AuditEvent.object_type,
                  AuditEvent.object_id, AuditEvent.detail, AuditEvent.prev_hash,
                  AuditEvent.entry_hash).order_by(AuditEvent.id)


def _check_entry(walk: _Walk, row: Any) -> None:
    event_id, raw_at, actor, action, object_type, object_id, detail, prev_hash, stored = row
    walk.count += 1
    if prev_hash != walk.last_hash:
        walk.breaks.append((event_id, walk.last_id, prev_hash))
    at = _as_datetime(raw_at)
    if at is None:
        walk.problems.append(f"第 {event_id} 条的时间被改动过（“{raw_at}”不是有效时间）")
        walk.failed_ids.add(event_id)
    else:
        old = legacy_hash(prev_hash, at, actor, action, object_type, object_id, detail)
        scheme = OLD_SCHEME if walk.chain is None else walk.chain.scheme_of(event_id)
        key = walk.keys.get(scheme)
        kind = ""
        if scheme == OLD_SCHEME:
            kind = "" if old == stored else "edited"
        elif key is None:
            walk.unchecked.setdefault(scheme, []).append(event_id)
        elif not hmac.compare_digest(entry_mac(key, event_id, prev_hash, at, actor, action, object_type,
                                               object_id, detail), stored):
            kind = "recomputed" if old == stored else "edited"
        if kind:
            walk.failed.append((walk.count, event_id, kind, f"{at:%Y-%m-%d %H:%M}，{actor}，{action}"))
            walk.failed_ids.add(event_id)
    walk.last_id, walk.last_hash, walk.last_action = event_id, stored, action


def _failures(walk: _Walk) -> list[str]:
    """One line per run of neighbouring entries that fail their code the same way."""
    runs: list[list[tuple[int, int, str, str]]] = []
    for failure in walk.failed:
        if runs and runs[-1][-1][0] + 1 == failure[0] and runs[-1][-1][2] == failure[2]:
            runs[-1].append(failure)
        else:
            runs.append([failure])
    told = []
    for run in runs:
        (_p, first, kind, label), last = run[0], run[-1][1]
        if len(run) == 1 and kind == "edited":
            told.append(f"第 {first} 条（{label}）内容被改动过")
        elif len(run) == 1:
            told.append(f"第 {first} 条（{label}）内容被改动过，校验码是按旧的无密钥方式重新计算的，不是本程序写入的")
        elif kind == "edited":
            told.append(f"第 {first} 至 {last} 条（共 {len(run)} 条）内容或序号被改动过（校验码与密钥不符）")
        else:
            told.append(f"第 {first} 至 {last} 条（共 {len(run)} 条）的校验码被按旧的无密钥方式重新计算过："
                        "这些记录被改动或伪造过，不是本程序写入的")
    return told


def _unchecked_notes(walk: _Walk) -> list[str]:
    if walk.chain is None:
        return []
    return [f"第 {min(found)} 至 {max(found)} 条用更换前的审计密钥（编号 {fp}）签名，本机没有那把密钥，"
            "只核对了链条是否连续；导入原来电脑上导出的密钥文件（wuye audit import-key）后可完整核对。"
            for fp, found in walk.unchecked.items() if fp != walk.chain.current]


def _as_datetime(raw: object) -> datetime | None:
    if isinstance(raw, datetime):
        return raw
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def _explain_break(session: Session, found: tuple[int, int | None, str]) -> str:
    """Tell an insertion (the entry links to an earlier one, skipping some) from a deletion."""
    event_id, before_id, prev_hash = found
    linked = session.scalar(select(AuditEvent.id).where(AuditEvent.entry_hash == prev_hash))
    if linked is not None and before_id is not None and linked < before_id:
        first = session.scalar(select(AuditEvent.id).where(AuditEvent.id > linked).order_by(AuditEvent.id).limit(1))
        span = f"第 {first} 条" if first == before_id else f"第 {first} 至 {before_id} 条"
        return f"{span}不在原来的链条中（是后来插入的），位于第 {event_id} 条之前"
    return f"第 {event_id} 条之前的记录被删除或改动过（链条断开）"


def _check_head(session: Session, walk: _Walk) -> tuple[list[str], list[str]]:
    head = session.scalar(select(Setting.value).where(Setting.key == HEAD_KEY))
    if not isinstance(head, dict) or "hash" not in head:
        if walk.count and walk.chain is None:
            return [], ["尚无链尾标记（记录由旧版本程序写入）；下次写入后开始核对末尾是否被删除。"]
        return [], []
    if head["hash"] == walk.last_hash:
        return [], []
    marked = session.scalar(select(AuditEvent.id).where(AuditEvent.entry_hash == head["hash"]))
    if marked is not None and walk.last_id is not None and marked < walk.last_id:
        extra = session.scalar(select(AuditEvent.id).where(AuditEvent.id > marked).order_by(AuditEvent.id).limit(1))
        return [f"第 {extra} 至 {walk.last_id} 条不是本程序写入的（链尾之后被追加）"], []
    return [f"末尾的记录被删除：最后一条应为第 {head.get('id')} 条，现在只到第 {walk.last_id or 0} 条"], []


def _check_anchor(session: Session, state: _State, walk: _Walk) -> tuple[list[str], list[str]]:
    """This PC's anchor against the trail: missing, lost (truncated, wiped, replaced) or lagging."""
    if state.chain is None or state.uid is None or state.chain.current not in state.keys:
        return [], []
    anchor = _load_anchor(state.uid)
    if anchor is None:
        return ["本机没有这本台账审计记录的链尾标记，无法确认末尾的记录没有被删除。若台账刚从别的电脑搬来，"
                "请导入原来电脑上导出的密钥文件（wuye audit import-key）；本机下次保存后会重新记下链尾。"], []
    stored = session.scalar(select(AuditEvent.entry_hash).where(AuditEvent.id == anchor.id))
    if stored == anchor.mac:
        after = int(session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.id > anchor.id)) or 0)
        if after:
            return [], [f"本机最后写入的是第 {anchor.id} 条，其后的 {after} 条由其他电脑或程序写入，已逐条核对。"]
        return [], []
    if stored is None:
        if walk.last_id is None:
            return [f"审计记录被全部删除：本机最后写入的是第 {anchor.id} 条，现在一条也没有"], []
        if anchor.id > walk.last_id:
            return [f"末尾的记录被删除：本机最后写入的是第 {anchor.id} 条，现在只到第 {walk.last_id} 条"], []
        return [f"本机最后写入的第 {anchor.id} 条被删除"], []
    if anchor.id in walk.failed_ids:
        return [], []  # told already, as an edited entry
    if walk.last_action == "migrate_out" and walk.last_id not in walk.failed_ids:
        return [], [f"这本台账已迁移到服务器（第 {walk.last_id} 条），本机的链尾标记属于服务器上的那一份。"]
    return [f"第 {anchor.id} 条与本机最后写入的那一条不同：这不是本机写入的那一份审计记录"
            "（可能是用台账的另一份副本替换了它，或末尾的记录被删除后又写入了新记录）"], []


def _entry_number(problem: str) -> int:
    digits = problem.split("第 ", 1)[-1].split(" ", 1)[0]
    return int(digits) if digits.isdigit() else 0
