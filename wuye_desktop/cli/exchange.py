"""The roll-up and the shared server from the command line.

    wuye exchange export --period 2026-10 -o 幸福里-2026-10.wyx
    wuye exchange import 幸福里-2026-10.wyx 桂林-2026-10.wyx
    wuye exchange import --fingerprint "3F2A 9C1D 77E0 B4A1 0D5E 6C08" 新调解室-2026-10.wyx
    wuye migrate-to postgresql+psycopg://wuye@192.168.1.10/wuye
    wuye server test postgresql+psycopg://wuye@192.168.1.10/wuye
"""

from __future__ import annotations

import argparse
import sys

from wuye_desktop.cli.base import EXIT_ERROR, EXIT_OK, Commands, add_force_option, open_register, signed_in


def add_commands(commands: Commands) -> None:
    exchange = commands.group("exchange", "数据交换：调解室报送、县级汇总")
    export = exchange.add("export", "把一个期间的案件导出为数据交换文件（报送上级）", _cmd_export)
    export.add_argument("--period", required=True, metavar="期间",
                        help="月份 2026-10、季度 2026Q4 或全年 2026")
    export.add_argument("-o", "--output", required=True, metavar="FILE.wyx", help="要写入的文件（.wyx）")
    add_force_option(export)
    export.add_argument("--personal", choices=("mask", "remove"), default=None,
                        help="个人信息：mask 打码（默认，或按设置）、remove 删除")
    imp = exchange.add("import", "导入调解室报送的数据交换文件（可一次导入多个）", _cmd_import)
    imp.add_argument("files", nargs="+", metavar="FILE", help="数据交换文件")
    imp.add_argument("--fingerprint", action="append", metavar="指纹",
                     help="与调解室核对过的签名指纹（可多次给出）：调解室更换了签名密钥时必须给出；"
                          "给出时，首次出现的调解室也必须与其中一个相符")
    imp.add_argument("--known-rooms-only", action="store_true",
                     help="只导入已登记签名密钥的调解室，或指纹已用 --fingerprint 核对的调解室；"
                          "不加时首次出现的调解室按文件中的密钥登记，并显示其指纹供核对")

    move = commands.add("migrate-to", "把本机台账迁移到 PostgreSQL 服务器（核对行数和校验和）", _cmd_migrate_to)
    move.add_argument("url", metavar="URL", help="服务器地址，例如 postgresql+psycopg://用户@主机:5432/wuye")
    server = commands.group("server", "共享服务器")
    test = server.add("test", "测试能否连接服务器，并显示服务器的情况", _cmd_server_test, signs_in=False)
    test.add_argument("url", metavar="URL", help="服务器地址，例如 postgresql+psycopg://用户@主机:5432/wuye")


def _cmd_export(args: argparse.Namespace) -> int:
    from wuye_desktop.services import exchange

    db = open_register(args)
    try:
        report = exchange.export_period(signed_in(args, db), args.period, args.output, personal=args.personal,
                                        replace=args.force)
    finally:
        db.dispose()
    mode = "打码" if report.personal == "mask" else "删除"
    print(f"已导出 {report.committee} {report.period.title}的 {report.cases} 件案件（个人信息已{mode}）："
          f"{report.path}")
    print(f"校验码 SHA-256：{report.sha256}")
    print(f"签名指纹：{report.fingerprint}（上级首次导入时请与其核对）")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from wuye_desktop.services import exchange

    db = open_register(args)
    try:
        strict = bool(args.known_rooms_only or args.fingerprint)  # a given fingerprint is for new rooms too
        report = exchange.import_files(signed_in(args, db), args.files, trust_new_rooms=not strict,
                                       fingerprints=args.fingerprint or ())
    except exchange.RoomKeyError as exc:
        print(f"错误：{exc.message}（命令行：核对无误后，导入时加 --fingerprint \"核对过的指纹\"）",
              file=sys.stderr)
        return EXIT_ERROR
    finally:
        db.dispose()
    for line in report.lines():
        print(line)
    print("导入完成。" if report.changed else "导入完成：本台账已有这些数据，没有变化。")
    return EXIT_OK


def _cmd_migrate_to(args: argparse.Namespace) -> int:
    from sqlalchemy import URL

    from wuye_desktop.errors import StorageError
    from wuye_desktop.services.safety import opening as setup
    from wuye_desktop.services.server import migration as migrate_to
    from wuye_desktop.storage.paths import resolve_data_dir

    # The local file, whatever server this computer may already be pointed at.
    source = args.db_url
    if source is None:
        paths = resolve_data_dir(args.data_dir)
        if not paths.database.exists():
            raise StorageError(f"数据文件夹“{paths.root}”中没有台账（{paths.database.name}），没有可迁移的数据。")
        source = URL.create("sqlite", database=str(paths.database)).render_as_string()
    elif not source.startswith("sqlite"):
        raise StorageError("--db-url 指向的不是本机台账文件；迁移的来源应是单机台账（--data-dir 或 sqlite 地址）")
    db = setup.open_register(data_dir=args.data_dir, db_url=source)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r迁移中 {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        report = migrate_to.migrate_to(signed_in(args, db), args.url, progress=progress)
    finally:
        db.dispose()
    if show:
        print(file=sys.stderr)
    for check in report.tables:
        if check.rows:
            print(f"{check.label}：{check.rows} 行，校验一致")
    print(f"迁移完成：{report.cases} 件案件已迁移到 {report.target}，逐表核对行数和校验和全部一致"
          f"（用时 {report.seconds:.1f} 秒）。")
    print("请在各台电脑的“数据交换”页面连接这个服务器，或使用 --db-url。本机原有台账文件保留未动。")
    return EXIT_OK


def _cmd_server_test(args: argparse.Namespace) -> int:
    from wuye_desktop.services import server

    info = server.test_connection(args.url)
    for line in info.lines():
        print(line)
    return EXIT_OK
