"""Remake the samples in this folder: the first page of each document as PNG, and the agreement as PDF.

    .venv/bin/python docs/samples/make_samples.py      (needs pdftoppm from poppler-utils)

Made from demo data (seed 5) in a throwaway register, with a photo and a
scanned PDF attached so the case file shows both kinds of attachment.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import select

from wuye_desktop.models import Agreement, AgreementKind, AgreementStatus, CaseStatus, MediationCase, RecordKind
from wuye_desktop.services import demo
from wuye_desktop.services.casework import attachments, documents, records
from wuye_desktop.services.casework.records import RecordInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register

HERE = Path(__file__).resolve().parent


def _attach(ctx: Context, case_id: int, folder: Path) -> None:
    photo = folder / "漏水现场.jpg"
    image = Image.new("RGB", (1600, 1200), (214, 206, 190))
    ImageDraw.Draw(image).rectangle((300, 200, 1300, 1000), outline=(90, 70, 50), width=12)
    image.save(photo, "JPEG")
    attachments.add(ctx, case_id, photo, category="现场照片", description="1101室天花板受潮脱落处")
    from reportlab.pdfgen.canvas import Canvas

    from wuye_desktop.exports import fonts

    font = fonts.register(fonts.installed_fonts()[0])
    receipt = folder / "维修收据.pdf"
    canvas = Canvas(str(receipt), pagesize=(420, 300), initialFontName=font)
    canvas.setFont(font, 18)
    canvas.drawString(40, 240, "收　据")
    canvas.setFont(font, 12)
    canvas.drawString(40, 200, "今收到天花板修缮费用人民币壹仟贰佰元整（1200元）。")
    canvas.save()
    attachments.add(ctx, case_id, receipt, category="证据", description="履行凭证")


def _contact_sheet(pdf: Path, target: Path, columns: int = 5) -> None:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    pages = [Image.open(p) for p in sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))]
    width, height = pages[0].size
    rows = -(-len(pages) // columns)
    sheet = Image.new("RGB", (columns * (width + 6), rows * (height + 6)), (128, 128, 128))
    for n, page in enumerate(pages):
        sheet.paste(page, ((n % columns) * (width + 6) + 3, (n // columns) * (height + 6) + 3))
    sheet.save(target)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_register(data_dir=folder)
        ctx = Context(db)
        demo.generate(ctx, 120, seed=5)
        with db.reading() as session:
            written = session.scalar(
                select(Agreement.case_id).join(MediationCase, MediationCase.id == Agreement.case_id)
                .where(Agreement.status == AgreementStatus.SIGNED, Agreement.kind == AgreementKind.WRITTEN,
                       MediationCase.status == CaseStatus.AGREED, MediationCase.visits.any())
                .order_by(Agreement.case_id.desc()).limit(1))
            oral = session.scalar(select(Agreement.case_id).where(Agreement.kind == AgreementKind.ORAL,
                                                                 Agreement.status == AgreementStatus.SIGNED).limit(1))
        assert written is not None and oral is not None
        records.add_record(ctx, written, RecordInput(
            RecordKind.SESSION, datetime.combine(ctx.today(), datetime.min.time()).replace(hour=9),
            "调解漏水赔偿纠纷", place="社区党群服务中心调解室", participants="调解员、双方当事人、物业代表",
            statements="申请人：天花板多次受潮脱落，要求赔偿修缮费用。\n被申请人：同意修复防水层，对金额有异议。",
            findings="调解员讲解相关规定，组织双方查看现场，协商修缮费用。", outcome="双方达成一致，签订调解协议。"))
        _attach(ctx, written, Path(folder))
        kinds = {"agreement": written, "oral_agreement": oral, "registration": written,
                 "session_record": written, "visit_record": written, "cover": written, "casefile": written}
        for kind, case_id in kinds.items():
            target = Path(folder) / f"{kind}.pdf"
            documents.write_pdf(ctx, kind, case_id, target)
            if kind == "casefile":
                _contact_sheet(target, HERE / "casefile.png")  # its first page is the cover: show every page
                continue
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(target),
                            str(HERE / kind)], check=True)
            if kind == "agreement":
                (HERE / "agreement.pdf").write_bytes(target.read_bytes())
        db.dispose()
    print(f"samples written to {HERE}")


if __name__ == "__main__":
    main()
