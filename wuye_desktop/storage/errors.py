"""Turn database failures a user can do something about into plain Chinese.

Anything not recognised here is a bug and is left to the crash handler.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from wuye_desktop.errors import StorageError

# (fragment of the driver's message, what to tell the user)
_KNOWN: tuple[tuple[str, str], ...] = (
    ("database is locked", "数据库正被其他程序或电脑占用，请稍后再试；如果一直如此，请关闭其他正在使用台账的程序。"),
    ("database table is locked", "数据库正忙，请稍后再试。"),
    ("database or disk is full", "磁盘空间已满，本次保存未写入。请清理磁盘空间后再保存。"),
    ("disk i/o error", "读写磁盘出错，本次保存未写入。请检查磁盘或U盘是否已拔出。"),
    ("readonly database", "数据文件夹是只读的，无法保存。请检查文件夹权限，或把数据文件夹换到可写的位置。"),
    ("read-only", "数据文件夹是只读的，无法保存。请检查文件夹权限，或把数据文件夹换到可写的位置。"),
    ("malformed", "数据库文件已损坏。请用“恢复备份”恢复最近一次完好的备份（wuye restore 备份文件）。"),
    ("file is not a database",
     "这个文件不是有效的台账数据库（可能已损坏或不是本程序的文件）。请恢复最近一次完好的备份。"),
    ("unable to open database file", "无法打开数据库文件。请检查数据文件夹是否存在、是否有写入权限。"),
    ("could not connect", "无法连接数据库服务器。请检查网络和服务器地址，服务器恢复后程序会自动重新连接。"),
    ("connection refused", "无法连接数据库服务器。请检查网络和服务器地址，服务器恢复后程序会自动重新连接。"),
    ("server closed the connection", "与数据库服务器的连接已断开，本次操作未保存。服务器恢复后请重试。"),
    ("terminating connection", "与数据库服务器的连接已断开，本次操作未保存。服务器恢复后请重试。"),
    ("password authentication failed", "数据库服务器拒绝了用户名或密码，请在设置中检查连接信息。"),
    ("does not exist", "数据库服务器上没有这个数据库，请检查数据库名称，或请管理员先创建。"),
)


def translate(exc: BaseException) -> StorageError | None:
    """A ``StorageError`` for a known database failure, else ``None``."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).lower()
    for fragment, message in _KNOWN:
        if fragment in text:
            return StorageError(message)
    return None
