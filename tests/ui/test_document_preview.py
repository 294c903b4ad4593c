"""打印预览: made in the background, paged and zoomed, printed to a (PDF) printer and saved, all audited."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from ui_helpers import Answers

from wuye_desktop.models import AuditEvent, PartyRole
from wuye_desktop.services import cases
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import AgreementDraft, CaseDraft, PartyInput
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context
from wuye_desktop.ui import documents, prefs
from wuye_desktop.ui.shell import Shell


def signed_case(ctx: Context, clauses: int = 2) -> int:
    case_id = cases.register(ctx, CaseDraft("楼上漏水", [PartyInput("赵一", phone="13800000001"),
                                                        PartyInput("钱二", role=PartyRole.RESPONDENT)])).id
    workflow.accept(ctx, case_id)
    text = [f"第{n}项：被申请人负责修复漏水并承担相应费用，双方确认再无其他争议，特此写明以便核对。"
            for n in range(clauses)]
    agreements.sign(ctx, agreements.draft(ctx, case_id, AgreementDraft(text)))
    return case_id


def open_preview(qtbot, shell: Shell, kind: str, case_id: int) -> documents.PreviewDialog:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    documents.open_document_preview(parent, shell, kind, case_id)
    qtbot.waitUntil(lambda: parent.findChild(documents.PreviewDialog) is not None, timeout=15_000)
    dialog = parent.findChild(documents.PreviewDialog)
    assert dialog is not None
    return dialog


def prints(ctx: Context) -> list[str]:
    with ctx.db.reading() as session:
        return list(session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "print")
                                    .order_by(AuditEvent.id)))


def test_the_kinds_the_workspace_menu_offers() -> None:
    assert list(documents.DOCUMENT_KINDS) == ["agreement", "oral_agreement", "registration", "session_record",
                                             "visit_record", "cover", "casefile"]
    assert documents.DOCUMENT_KINDS["agreement"] == "人民调解协议书"


def test_preview_pages_zoom_and_shows_the_page_as_an_image(qtbot, shell: Shell, ctx: Context,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    dialog = open_preview(qtbot, shell, "agreement", signed_case(ctx, clauses=18))
    count = len(dialog.pages)
    assert count >= 2 and dialog.page_count.text() == f"共 {count} 页"
    assert not dialog.previous_button.isEnabled()
    dialog.next_button.click()
    assert dialog.page == 1 and dialog.page_box.value() == 2
    dialog.page_box.setValue(count)
    assert not dialog.next_button.isEnabled()
    dialog.set_zoom(100)
    width_at_100 = dialog.image.pixmap().width()
    dialog.step_zoom(+1)
    assert dialog.zoom == 125 and dialog.image.pixmap().width() > width_at_100
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.zoom == 75
    assert "人民调解协议书" in dialog.windowTitle()
    dialog.grab().save(str(tmp_path / "preview.png"))
    assert '"how": "预览"' in prints(ctx)[-1]
    dialog.close()


def test_print_goes_to_the_printer_page_by_page_and_is_audited(qtbot, shell: Shell,  # type: ignore[no-untyped-def]
                                                               ctx: Context, tmp_path: Path) -> None:
    dialog = open_preview(qtbot, shell, "agreement", signed_case(ctx))
    out = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    dialog.ask_printer = to_file
    dialog.print_button.click()
    printed = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(printed.pages) == len(dialog.pages)
    width, height = float(printed.pages[0].mediabox.width), float(printed.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    assert '"how": "打印"' in prints(ctx)[-1]
    assert "已发送到打印机" in dialog.status.text()
    dialog.ask_printer = lambda _printer: False  # the user cancels the print dialog: nothing happens
    dialog.print_button.click()
    assert '"how": "打印"' in prints(ctx)[-1] and len(prints(ctx)) == 2
    dialog.close()


def test_save_as_pdf_writes_the_previewed_file_and_remembers_the_folder(  # type: ignore[no-untyped-def]
        qtbot, shell: Shell, ctx: Context, tmp_path: Path, answers: Answers) -> None:
    dialog = open_preview(qtbot, shell, "registration", signed_case(ctx))
    folder = tmp_path / "文书"
    folder.mkdir()
    offered: list[str] = []

    def choose(start: str) -> str:
        offered.append(start)
        return str(folder / "登记表")

    dialog.choose_save_path = choose
    dialog.save_button.click()
    assert (folder / "登记表.pdf").read_bytes() == dialog.printed.pdf
    assert offered[0].endswith(".pdf") and "人民调解受理登记表" in offered[0]
    assert prefs.last_folder(documents.FOLDER_KEY) == str(folder)
    assert '"how": "保存PDF"' in prints(ctx)[-1]
    (tmp_path / "占用").write_text("a file where a folder should be")
    dialog.choose_save_path = lambda _start: str(tmp_path / "占用" / "登记表.pdf")
    dialog.save_button.click()
    assert answers.last("error")[0] == "无法保存"
    dialog.close()


def test_a_case_without_an_agreement_is_told_in_a_message(qtbot, shell: Shell, ctx: Context,  # type: ignore[no-untyped-def]
                                                          answers: Answers) -> None:
    case_id = cases.register(ctx, CaseDraft("楼上漏水", [PartyInput("赵一")])).id
    parent = QWidget()
    qtbot.addWidget(parent)
    documents.open_document_preview(parent, shell, "agreement", case_id)
    qtbot.waitUntil(lambda: "error" in answers.kinds(), timeout=15_000)
    title, text = answers.last("error")
    assert title == "无法生成人民调解协议书" and "还没有签署生效的调解协议" in text
    assert parent.findChild(documents.PreviewDialog) is None
