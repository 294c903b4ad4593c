"""``wuye check`` and the start-up check: is the register whole, and can this program use it?

Reads only: a damaged register is reported, never "repaired" behind the
user's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import inspect

from wuye_desktop.errors import StorageError
from wuye_desktop.storage import migrate, schema
from wuye_desktop.storage.backup import integrity_problems
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.errors import translate


@dataclass
class CheckResult:
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_register(*, data_dir: str | None = None, db_url: str | None = None) -> CheckResult:
    db = Database.open(data_dir=data_dir, db_url=db_url)
    try:
        return check_database(db)
    finally:
        db.dispose()


def check_database(db: Database) -> CheckResult:
    result = CheckResult()
    result.notes.append(f"数据库：{db.display_location}")
    if db.is_sqlite and db.paths is not None and db.engine.url.database == str(db.paths.database):
        if not db.paths.database.exists():
            result.problems.append("数据文件夹中还没有台账数据库，请先运行 wuye init")
            return result
        result.problems += integrity_problems(db.paths.database)
        if result.problems:
            return result
        result.notes.append("完整性检查、外键检查：通过")
    try:
        _check_schema(db, result)
    except StorageError as exc:
        result.problems.append(exc.message)
    except Exception as exc:  # a server that does not answer, a file that is not a database
        known = translate(exc)
        if known is None:
            raise
        result.problems.append(known.message)
    return result


def _check_schema(db: Database, result: CheckResult) -> None:
    tables = [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]
    current = migrate.current_revision(db)
    head = migrate.head_revision()
    if current is None:
        if tables:
            result.problems.append("数据库中有数据表但没有版本信息，它不是本程序创建的台账")
        else:
            result.notes.append("数据库为空，尚未初始化（打开程序或运行 wuye init 时会自动创建）")
        return
    if current == head:
        result.notes.append(f"数据库版本：{current}（与程序一致）")
        missing = schema.missing_tables(db)
        if missing:
            result.problems.append(f"数据库缺少数据表：{'、'.join(missing)}")
    elif migrate.is_known(current):
        result.notes.append(f"数据库版本：{current}，程序版本：{head}；下次打开时会自动升级")
    else:
        result.problems.append(f"数据库版本 {current} 比程序新，请安装最新版本的程序")
