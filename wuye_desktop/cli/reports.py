"""``wuye report monthly``, ``wuye import hotline``, ``wuye export replies``: the monthly figures and 12345."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wuye_desktop.cli.base import EXIT_ERROR, EXIT_OK, Commands, add_force_option, open_register, signed_in

if TYPE_CHECKING:
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.hotline.work_orders import CheckReport
    from wuye_desktop.services.statistics.periods import Period


def add_commands(commands: Commands) -> None:
    report = commands.group("report", "统计报表")
    monthly = report.add("monthly", "生成统计表（Excel）：汇总、分类、小区、物业企业、调解员、台账", _cmd_monthly)
    _period_options(monthly)
    monthly.add_argument("-o", "--output", required=True, metavar="FILE", help="保存为（.xlsx）")
    add_force_option(monthly)
    monthly.add_argument("--committee", metavar="C", help="只统计一个调委会（名称或编号）；默认全部合计")

    imports = commands.group("import", "导入")
    hotline = imports.add("hotline", "导入12345热线工单（.xlsx 或 .csv），先检查再导入", _cmd_import_hotline)
    hotline.add_argument("file", metavar="FILE", help="12345平台导出的工单表")
    hotline.add_argument("--dry-run", action="store_true", help="只检查并列出问题，不写入任何内容")

    exports = commands.group("export", "导出")
    replies = exports.add("replies", "导出12345工单办理回复（工单编号、办理结果、回复内容、办结时间）", _cmd_replies)
    _period_options(replies)
    replies.add_argument("-o", "--output", required=True, metavar="FILE", help="保存为（.xlsx）")
    add_force_option(replies)


def _period_options(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", metavar="YYYY-MM", help="月份，例如 2026-10")
    which.add_argument("--quarter", metavar="YYYYQn", help="季度，例如 2026Q3")
    which.add_argument("--year", metavar="YYYY", help="年度，例如 2026")
    which.add_argument("--from", dest="start", metavar="DATE", help="起始日期，与 --to 一起使用，例如 2026-10-01")
    parser.add_argument("--to", dest="end", metavar="DATE", help="截止日期（含当天），例如 2026-10-31")


def _period(args: argparse.Namespace) -> Period:
    from wuye_desktop.errors import ValidationError
    from wuye_desktop.services.statistics import periods

    if args.end and not args.start:
        raise ValidationError.single("from", "--to 需要与 --from 一起使用")
    if args.month:
        return periods.parse_month(args.month)
    if args.quarter:
        return periods.parse_quarter(args.quarter)
    if args.year:
        return periods.parse_year(args.year)
    if not args.end:
        raise ValidationError.single("to", "--from 需要与 --to 一起使用，例如 --from 2026-10-01 --to 2026-10-31")
    return periods.parse_range(args.start, args.end)


def _committee(ctx: Context, text: str | None) -> int | None:
    from wuye_desktop.errors import NotFoundError
    from wuye_desktop.services import reference

    if not text:
        return None
    known = reference.committees(ctx)
    wanted = text.strip()
    for choice in known:
        if wanted in (str(choice.id), choice.name):
            return choice.id
    partial = [c for c in known if wanted in c.name]
    if len(partial) == 1:
        return partial[0].id
    names = "、".join(f"{c.id} {c.name}" for c in known)
    raise NotFoundError(f"找不到调委会“{wanted}”。台账中的调委会：{names}")


def _cmd_monthly(args: argparse.Namespace) -> int:
    from wuye_desktop.services import statistics

    period = _period(args)
    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        result = statistics.export_monthly(ctx, period, args.output, _committee(ctx, args.committee),
                                           replace=args.force)
    finally:
        db.dispose()
    masked = "，个人信息已部分隐藏" if result.masked else ""
    print(f"已生成{period.label}统计表：{result.path}（台账 {result.cases} 件{masked}）")
    return EXIT_OK


def _cmd_import_hotline(args: argparse.Namespace) -> int:
    from wuye_desktop.services import hotline

    table = hotline.read_table(args.file)
    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        report = hotline.check(ctx, table)
        _print_report(report)
        if report.fatal:
            print("文件或列对应有问题，未导入任何内容。请按上面的报告修改后重新导入。", file=sys.stderr)
            return EXIT_ERROR
        if args.dry_run:
            print(f"试导入（未写入任何内容）：共 {report.rows} 行，可导入 {len(report.ready)} 行，"
                  f"有问题 {report.rejected} 行，跳过 {report.skipped} 行。")
        else:
            report, result = hotline.import_orders(ctx, table)
            print(f"已导入 {result.imported} 件工单并登记为案件（来源：12345热线），"
                  f"有问题未导入 {result.rejected} 行，跳过 {result.skipped} 行（已导入过或重复）。")
    finally:
        db.dispose()
    if report.rejected:
        print(f"有 {report.rejected} 行有问题{'' if args.dry_run else '未导入'}，请按上面的报告修改后重新导入"
              "（已导入的工单不会重复登记）。", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _print_report(report: CheckReport) -> None:
    sheet = f"，工作表“{report.sheet}”" if report.sheet else ""
    print(f"文件：{report.file}{sheet}，表头在第 {report.header_row} 行")
    columns = "、".join(f"{label}←{report.headers[index] or '第' + str(index + 1) + '列'}"
                        for label, index in _mapping_labels(report))
    print(f"列对应：{columns}")
    if not report.problems:
        print("检查通过，没有发现问题。")
        return
    print("检查报告（行 | 列 | 问题）：")
    for p in report.problems:
        mark = "" if p.blocking else "［跳过］"
        print(f"  {p.where} | {p.column or '—'} | {mark}{p.message}")


def _mapping_labels(report: CheckReport) -> list[tuple[str, int]]:
    from wuye_desktop.services.hotline.columns import FIELDS

    return [(f.label, report.mapping[f.key]) for f in FIELDS if f.key in report.mapping]


def _cmd_replies(args: argparse.Namespace) -> int:
    from wuye_desktop.services.hotline import replies as hotline_replies

    period = _period(args)
    db = open_register(args)
    try:
        result = hotline_replies.export_replies(signed_in(args, db), period, args.output, replace=args.force)
    finally:
        db.dispose()
    print(f"已导出{period.label}的12345工单回复 {result.count} 条：{result.path}")
    return EXIT_OK
