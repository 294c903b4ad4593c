"""The shared PostgreSQL server: where it is, its password, whether it answers, what it can do.

A connection profile (host, port, database, user) is kept in ``server.json``
in this computer's data folder; the password only in the operating system's
keyring (Windows Credential Manager, macOS Keychain, the Secret Service on
Linux). Where there is no keyring the password is not written anywhere and
the user is told so. With a saved profile the program opens the server's
register instead of the local file (``storage/engine.py``).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, ColumnElement, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.services import audit
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.storage.errors import translate

log = logging.getLogger(__name__)

PROFILE_FILE = "server.json"
KEYRING_SERVICE = "wuye-desktop"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5
PINYIN_COLLATION = "zh-x-icu"
_NO_KEYRING = (
    "这台电脑没有可用的系统密码库（如 Windows 凭据管理器），为安全起见，密码不会写入任何文件，"
    "连接设置没有保存。可以请服务器管理员为本机设置免密码登录后，把密码留空再保存。"
)


@dataclass(frozen=True)
class ConnectionProfile:
    host: str
    port: int = DEFAULT_PORT
    database: str = "wuye"
    user: str = "wuye"

    def url(self, password: str | None = None) -> str:
        return URL.create("postgresql+psycopg", username=self.user, password=password or None,
                          host=self.host, port=self.port, database=self.database).render_as_string(
            hide_password=False)

    @property
    def keyring_account(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def display(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def clean_profile(host: str, port: str | int, database: str, user: str) -> ConnectionProfile:
    """Check the form's fields; ``ValidationError`` names each one that is wrong."""
    errors: dict[str, str] = {}
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        errors["host"] = "请填写服务器地址，例如 192.168.1.10"
    elif any(c.isspace() or c in "/@?#" for c in host):
        errors["host"] = "服务器地址只填写主机名或IP地址，例如 192.168.1.10"
    number = 0
    try:
        number = int(str(port).strip() or DEFAULT_PORT)
    except ValueError:
        errors["port"] = "端口应为数字，PostgreSQL 默认是 5432"
    else:
        if not 1 <= number <= 65535:
            errors["port"] = "端口应在 1 到 65535 之间，PostgreSQL 默认是 5432"
    if not database:
        errors["database"] = "请填写数据库名称，例如 wuye"
    if not user:
        errors["user"] = "请填写数据库用户名"
    if errors:
        raise ValidationError(errors)
    return ConnectionProfile(host, number, database, user)


# -- the saved profile -------------------------------------------------------------------


def load_profile(folder: Path) -> ConnectionProfile | None:
    path = folder / PROFILE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ConnectionProfile(str(data["host"]), int(data["port"]), str(data["database"]), str(data["user"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError(f"服务器连接设置文件“{path}”已损坏，请删除它后重新设置连接。") from exc


def save_profile(folder: Path, profile: ConnectionProfile, password: str = "") -> None:
    """Keep the profile in the data folder and the password in the keyring; all or nothing."""
    if password:
        _keyring_set(profile.keyring_account, password)
    path = folder / PROFILE_FILE
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(asdict(profile), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temp, path)


def forget_profile(folder: Path) -> None:
    """Back to the local register on this computer; the password leaves the keyring too."""
    profile = load_profile(folder)
    (folder / PROFILE_FILE).unlink(missing_ok=True)
    if profile is not None:
        try:
            import keyring
            from keyring.errors import KeyringError, PasswordDeleteError

            keyring.delete_password(KEYRING_SERVICE, profile.keyring_account)
        except (KeyringError, PasswordDeleteError):
            pass  # nothing stored, or no keyring: nothing to remove


def saved_url(folder: Path) -> str | None:
    """The server URL of the saved profile with its password from the keyring; None without a profile."""
    profile = load_profile(folder)
    if profile is None:
        return None
    return profile.url(keyring_password(profile))


def keyring_password(profile: ConnectionProfile) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(KEYRING_SERVICE, profile.keyring_account)
    except KeyringError:
        return None  # no keyring here: the server must let this computer in without a password


def keyring_available() -> bool:
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def _keyring_set(account: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    if not keyring_available():
        raise StorageError(_NO_KEYRING)
    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
    except KeyringError as exc:
        raise StorageError(f"无法把密码存入系统密码库（{exc}），连接设置没有保存。") from exc


# -- the same, for the settings screen (checked and audited) ------------------------------------


def _folder(ctx: Context) -> Path:
    if ctx.db.paths is None:
        raise StorageError("这个台账没有本机数据文件夹，无法保存连接设置。")
    return ctx.db.paths.root


@requires(Permission.SETTINGS)
def connection_settings(ctx: Context) -> ConnectionProfile | None:
    """The server this computer is set to use, or None for the register on this computer."""
    return load_profile(_folder(ctx))


@requires(Permission.SETTINGS)
def save_connection(ctx: Context, profile: ConnectionProfile, password: str = "") -> None:
    """From the next start this computer opens the register on that server."""
    save_profile(_folder(ctx), profile, password)
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "settings", "server", "",
                     {"server": profile.display, "password_in_keyring": bool(password)})


@requires(Permission.SETTINGS)
def use_local_register(ctx: Context) -> None:
    """Forget the server: from the next start this computer opens its own register file again."""
    old = load_profile(_folder(ctx))
    forget_profile(_folder(ctx))
    if old is not None:
        with ctx.db.writing() as session:
            audit.record(session, ctx.actor, "settings", "server", "", {"server": None, "was": old.display})


# -- testing a server ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerInfo:
    version: str  # e.g. "15.18"
    has_icu: bool  # names can be sorted by pinyin
    has_trigram: bool  # pg_trgm installed in this database (3+ character search uses it)
    schema_revision: str | None  # None: an empty database, ``wuye init`` will create the register
    cases: int

    def lines(self) -> list[str]:
        out = [f"连接成功：PostgreSQL {self.version}"]
        if self.schema_revision is None:
            out.append("数据库是空的：运行 wuye init（或打开程序）时会创建台账")
        else:
            out.append(f"台账数据库版本 {self.schema_revision}，案件 {self.cases} 件")
        out.append("支持按拼音排序（ICU）" if self.has_icu else "服务器不支持 ICU，姓名按字符编码排序")
        if self.schema_revision is not None:
            out.append("已启用三字以上快速检索（pg_trgm）" if self.has_trigram else "未启用 pg_trgm，检索较慢")
        return out


def check_url(url: str) -> str:
    """A PostgreSQL URL as typed; ``ValidationError`` if it is not one."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise ValidationError.single(
            "url", f"“{url}”不是有效的数据库地址，例如 postgresql+psycopg://用户@服务器:5432/wuye") from None
    if parsed.get_backend_name() != "postgresql":
        raise ValidationError.single("url", "共享服务器只支持 PostgreSQL，地址应以 postgresql+psycopg:// 开头")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def register_url(url: str) -> str:
    """The address a register is opened at (--db-url, ``WUYE_DB_URL``): a PostgreSQL server or an SQLite file.

    ``ValidationError`` for anything else, before a driver is looked for; the message never repeats the
    address (it may hold a password).
    """
    example = "例如 postgresql+psycopg://用户@服务器:5432/wuye，或本机台账文件 sqlite:///D:/台账/wuye.db"
    try:
        url.encode("utf-8")
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):  # not a URL, a port that is not a number, bytes that are not text
        raise ValidationError.single("db_url", f"数据库地址（--db-url 或 WUYE_DB_URL）无法识别，{example}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return url.strip()
    if backend != "postgresql":
        raise ValidationError.single(
            "db_url", f"数据库地址（--db-url 或 WUYE_DB_URL）只能是 PostgreSQL 服务器或本机的台账文件，{example}")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def test_connection(url: str) -> ServerInfo:
    """Connect once (timing out after a few seconds) and say what the server offers."""
    engine = create_engine(check_url(url), connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
                           pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one()).split()[0]
            icu = conn.execute(text("SELECT 1 FROM pg_collation WHERE collname = :c"),
                               {"c": PINYIN_COLLATION}).first() is not None
            trigram = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None
            has_schema = conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is not None
            revision = cases = None
            if has_schema:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if conn.execute(text("SELECT to_regclass('public.mediation_case')")).scalar() is not None:
                    cases = conn.execute(text("SELECT count(*) FROM mediation_case")).scalar()
    except DBAPIError as exc:
        known = translate(exc)
        raise known or StorageError(f"无法连接数据库服务器：{_first_line(exc.orig)}") from exc
    finally:
        engine.dispose()
    return ServerInfo(version, icu, trigram, revision, int(cases or 0))


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else "未知原因"


# -- sorting names by pinyin -------------------------------------------------------------------

_icu: dict[str, bool] = {}


def has_pinyin_collation(session: Session) -> bool:
    """Whether this database can sort Chinese by pinyin (PostgreSQL built with ICU); asked once per server."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    key = bind.engine.url.render_as_string(hide_password=True)
    if key not in _icu:
        found = session.execute(text("SELECT 1 FROM pg_collation WHERE collname = :c"), {"c": PINYIN_COLLATION})
        _icu[key] = found.first() is not None
        if not _icu[key]:
            log.info("server has no %s collation; names sort by code point", PINYIN_COLLATION)
    return _icu[key]


def name_order(session: Session, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``ORDER BY`` a name column in pinyin order where the server can, else as stored."""
    return column.collate(PINYIN_COLLATION) if has_pinyin_collation(session) else column

