"""``wuye print ...``: the documents of a case as PDF files, for administrators and batch work.

    wuye print agreement "（2026）幸福里调字第12号" -o 协议书.pdf
    wuye print casefile 12 -o 卷宗.pdf
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from wuye_desktop.cli.base import EXIT_OK, Commands, add_force_option, open_register, signed_in

# subcommand -> (document kind, help)
_COMMANDS = {
    "agreement": ("agreement", "人民调解协议书（需已签署协议）"),
    "oral-agreement": ("oral_agreement", "人民调解口头协议登记表（口头协议）"),
    "registration": ("registration", "人民调解受理登记表"),
    "record": ("session_record", "调解记录（调查记录、议事协商记录、调解记录；没有记录时为空白记录表）"),
    "visit": ("visit_record", "人民调解回访记录（没有回访时为空白回访表）"),
    "cover": ("cover", "卷宗封面及卷内目录"),
    "casefile": ("casefile", "整本卷宗：封面、目录、登记表、记录、协议书、回访记录和附件"),
}


def add_commands(commands: Commands) -> None:
    group = commands.group("print", "打印文书：生成案件的 PDF 文书")
    for name, (kind, help_text) in _COMMANDS.items():
        sub = group.add(name, f"生成{help_text}", _handler(kind))
        sub.add_argument("case", metavar="CASE", help="案件编号，例如 （2026）幸福里调字第12号；或案件序号")
        sub.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="保存到的 PDF 文件")
        add_force_option(sub)


def _handler(kind: str) -> Callable[[argparse.Namespace], int]:
    def handle(args: argparse.Namespace) -> int:
        from wuye_desktop.services import outputs
        from wuye_desktop.services.casework import documents

        wanted = Path(outputs.named(args.output, outputs.PDF))  # 协议书 -> 协议书.pdf
        db = open_register(args)
        try:
            ctx = signed_in(args, db)
            target = outputs.check(ctx, wanted, outputs.PDF, replace=args.force)
            case_id = documents.resolve_case(ctx, args.case)
            printed = documents.write_pdf(ctx, kind, case_id, target, replace=args.force)
        finally:
            db.dispose()
        print(f"已生成{printed.title}（{printed.number}，{printed.pages}页，字体：{printed.font_family}）：{target}")
        return EXIT_OK

    return handle
