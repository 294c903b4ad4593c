"""Turn database failures a user can do something about into plain Chinese.

Failures are told apart by the code the database gives, not by the words of
its message: SQLite's extended result code (``sqlite3.Error.sqlite_errorcode``)
and PostgreSQL's SQLSTATE (``psycopg.Error.sqlstate``). The words are read in
one case only, a PostgreSQL connection refused at connect, which comes with no
code (see ``_AT_CONNECT``). Errors arrive either
raw (the backup code talks to ``sqlite3`` directly) or wrapped in SQLAlchemy's
``DBAPIError`` (its ``orig``). Anything not recognised here is a bug and is
left to the crash handler: a missing table, a syntax error, a broken rule.
"""

from __future__ import annotations

import re
import sqlite3
import sys

from sqlalchemy.exc import DBAPIError

from wuye_desktop.errors import StorageError

# -- SQLite -------------------------------------------------------------------------------------

_BUSY = "数据库正被其他程序或电脑占用，请稍后再试；如果一直如此，请关闭其他正在使用台账的程序。"
_READ_ONLY_FOLDER = "数据文件夹是只读的，无法保存。请检查文件夹权限，或把数据文件夹换到可写的位置。"

# Primary result code (the low byte of the extended code) -> what to tell the user; an extended
# code (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, SQLITE_READONLY_CANTLOCK...) falls under its family.
_SQLITE: dict[int, str] = {
    sqlite3.SQLITE_BUSY: _BUSY,
    sqlite3.SQLITE_LOCKED: "数据库正忙，请稍后再试。",
    sqlite3.SQLITE_FULL: "磁盘空间已满，本次保存未写入。请清理磁盘空间后再保存。",
    sqlite3.SQLITE_IOERR: "读写磁盘出错，本次保存未写入。请检查磁盘或U盘是否已拔出。",
    sqlite3.SQLITE_READONLY: _READ_ONLY_FOLDER,
    sqlite3.SQLITE_CORRUPT: "数据库文件已损坏。请用“恢复备份”恢复最近一次完好的备份（wuye restore 备份文件）。",
    sqlite3.SQLITE_NOTADB: "这个文件不是有效的台账数据库（可能已损坏或不是本程序的文件）。请恢复最近一次完好的备份。",
    sqlite3.SQLITE_CANTOPEN: "无法打开数据库文件。请检查数据文件夹是否存在、是否有写入权限。",
}

# Extended codes whose family's message would be wrong.
_SQLITE_EXTENDED: dict[int, str] = {
    # The file was renamed, moved or deleted while the program had it open: nothing is read-only.
    sqlite3.SQLITE_READONLY_DBMOVED: "台账数据库文件在程序运行时被移动、改名或删除了，无法保存。"
                                     "请关闭程序，把文件放回原来的位置后再打开。",
}


def _sqlite(error: sqlite3.Error) -> StorageError | None:
    # An error SQLite itself reported carries its code; one the sqlite3 module raises on its own
    # ("Cannot operate on a closed database") has none and is a bug of the program.
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    message = _SQLITE_EXTENDED.get(code) or _SQLITE.get(code & 0xFF)
    return StorageError(message) if message else None


# -- PostgreSQL ---------------------------------------------------------------------------------

_CANNOT_CONNECT = "无法连接数据库服务器。请检查网络和服务器地址，服务器恢复后程序会自动重新连接。"
_CONNECTION_LOST = "与数据库服务器的连接已断开，本次操作未保存。服务器恢复后请重试。"
_BAD_PASSWORD = "数据库服务器拒绝了用户名或密码，请在设置中检查连接信息。"
_USER_NOT_ALLOWED = ("数据库服务器不接受这个用户的连接（没有这个用户，或不允许从这台电脑连接）。"
                     "请在设置中检查用户名，或请服务器管理员开放权限。")
_NO_DATABASE = "数据库服务器上没有这个数据库，请检查数据库名称，或请管理员先创建。"
_TOO_MANY_CONNECTIONS = ("数据库服务器的连接数已满（同时连接的电脑或程序太多），请稍后再试，"
                         "或请服务器管理员调高连接数上限。")

_SQLSTATE: dict[str, str] = {
    "08001": _CANNOT_CONNECT,  # the client could not establish the connection
    "08004": _CANNOT_CONNECT,  # the server rejected the connection
    "57P03": _CANNOT_CONNECT,  # the server is starting up or shutting down
    "57P01": _CONNECTION_LOST,  # the administrator ended the session or stopped the server
    "57P02": _CONNECTION_LOST,  # the server restarted after a crash of one of its processes
    "28P01": _BAD_PASSWORD,
    "28000": _USER_NOT_ALLOWED,  # no such user, or pg_hba.conf does not let this computer in
    "3D000": _NO_DATABASE,
    "53100": "数据库服务器的磁盘空间已满，本次保存未写入。请联系服务器管理员清理服务器的磁盘空间。",
    "53300": _TOO_MANY_CONNECTIONS,
    "25006": "数据库服务器现在只允许读取（可能连到了只读的备用服务器），无法保存。"
             "请检查设置中的服务器地址，或联系服务器管理员。",
    "40001": "其他电脑正在同时修改相同的记录，本次保存未写入，请再试一次。",  # serialization failure
    "40P01": "其他电脑正在同时修改相同的记录，本次保存未写入，请再试一次。",  # deadlock
}
_SQLSTATE_CLASS: dict[str, str] = {
    "08": _CONNECTION_LOST,  # any other connection exception: the connection broke
}

# A connection that fails while being made carries no SQLSTATE in psycopg, even when the server
# did answer with one: libpq keeps the fields of a failed connection's error to itself and gives
# only its text. The server's reason can therefore only be read from that text. These are the
# exact messages PostgreSQL (and libpq, for the missing password) writes, looked for only in a
# connection attempt that failed without a code, so "relation ... does not exist" (42P01, which
# always has its code) can never match. A server set to answer in another language falls back
# to _CANNOT_CONNECT.
_AT_CONNECT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'\bdatabase ".*" does not exist'), _NO_DATABASE),  # 3D000
    (re.compile(r'\bpassword authentication failed for user\b'), _BAD_PASSWORD),  # 28P01
    (re.compile(r'\bfe_sendauth: no password supplied'), _BAD_PASSWORD),  # libpq: the server asked for one
    (re.compile(r'\brole ".*" does not exist|\bno pg_hba\.conf entry for\b|\bpg_hba\.conf rejects connection\b'),
     _USER_NOT_ALLOWED),  # 28000
    (re.compile(r'\btoo many clients already|\btoo many connections for (role|database)\b'
                r'|\bremaining connection slots are reserved\b'), _TOO_MANY_CONNECTIONS),  # 53300
)


def _postgresql(sqlstate: str | None, text: str, *, operational: bool, lost: bool,
                running: bool) -> StorageError | None:
    if sqlstate is not None:
        message = _SQLSTATE.get(sqlstate) or _SQLSTATE_CLASS.get(sqlstate[:2])
        return StorageError(message) if message else None
    if not operational:
        return None  # e.g. an InterfaceError psycopg raises itself: a bug
    # psycopg raises OperationalError without a code when it cannot talk to the server: an open
    # connection broke (SQLAlchemy then marks it invalidated), or one could not be made (refused,
    # unknown host, timed out, turned away; no statement was running yet). It also raises one when
    # libpq refuses to send a statement over a sound connection (more than 65535 parameters):
    # that is a bug.
    if lost:
        return StorageError(_CONNECTION_LOST)
    if running:
        return None
    for pattern, message in _AT_CONNECT:
        if pattern.search(text):
            return StorageError(message)
    return StorageError(_CANNOT_CONNECT)


# -- both ---------------------------------------------------------------------------------------


def translate(exc: BaseException) -> StorageError | None:
    """A ``StorageError`` for a known database failure, else ``None``."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(original, sqlite3.Error):
        return _sqlite(original)
    # A psycopg error can only exist once psycopg is loaded; a computer using only its local
    # register need not load it here.
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(original, psycopg.Error):
        return _postgresql(original.sqlstate, str(original),
                           operational=isinstance(original, psycopg.OperationalError),
                           lost=isinstance(exc, DBAPIError) and exc.connection_invalidated,
                           running=isinstance(exc, DBAPIError) and exc.statement is not None)
    return None
