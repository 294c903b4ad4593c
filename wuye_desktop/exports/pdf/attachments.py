"""Attachments in the case file: photos and scans on pages of their own, PDFs appended and numbered."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image

from wuye_desktop.exports.pdf.data import AttachmentFile
from wuye_desktop.exports.pdf.styles import FOOTER_Y, FRAME_HEIGHT, FRAME_WIDTH, PAGE_HEIGHT, PAGE_WIDTH, SIZE_S4, Sheet

# Appended pages shrink to leave the page number clear of the scan, top and bottom alike.
_ROOM_HEIGHT = PAGE_HEIGHT - 2 * (FOOTER_Y + 6 * mm)
log = logging.getLogger(__name__)
_MAX_PIXELS = 2400  # longest side kept: ~300 dpi across the text block, a photo need not be bigger


@dataclass
class PdfPart:
    attachment: AttachmentFile
    pages: int
    error: str = ""
    reader: Any = None


def read_pdf(attachment: AttachmentFile) -> PdfPart:
    """Open a PDF attachment; one that cannot be read is listed in the 目录 with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not attachment.path.is_file():
        return PdfPart(attachment, 0, "文件缺失，未并入")
    try:
        reader = PdfReader(str(attachment.path))
        if reader.is_encrypted and not reader.decrypt(""):
            return PdfPart(attachment, 0, "文件已加密，未并入")
        return PdfPart(attachment, len(reader.pages), reader=reader)
    except (PdfReadError, OSError, ValueError, KeyError):
        return PdfPart(attachment, 0, "文件无法读取，未并入")


def image_page(attachment: AttachmentFile, sheet: Sheet) -> list[Flowable]:
    heading = sheet.para(f"附件：{attachment.category or '其他'}　{attachment.file_name}", sheet.heading)
    out: list[Flowable] = [heading]
    if attachment.description:
        out.append(sheet.para(attachment.description, sheet.note))
    room = FRAME_HEIGHT - 30 * mm
    try:
        out.append(_fitted_image(attachment, FRAME_WIDTH, room))
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow reports a damaged file with any of these
        log.warning("attachment %s not printed: %s", attachment.file_name, exc)
        out.append(sheet.para("（图片文件缺失或无法读取，未能打印）", sheet.plain))
    return out


def _fitted_image(attachment: AttachmentFile, width: float, height: float) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(attachment.path) as opened:
        picture = ImageOps.exif_transpose(opened)  # phone photos carry their rotation in EXIF
        picture.thumbnail((_MAX_PIXELS, _MAX_PIXELS))
        if picture.mode not in ("RGB", "L"):
            background = PILImage.new("RGB", picture.size, "white")
            background.paste(picture, mask=picture.getchannel("A") if "A" in picture.getbands() else None)
            picture = background
        data = io.BytesIO()
        picture.save(data, "JPEG", quality=85)
        pixels_w, pixels_h = picture.size
    scale = min(width / pixels_w, height / pixels_h)
    data.seek(0)
    image = Image(data, width=pixels_w * scale, height=pixels_h * scale)
    image.hAlign = "CENTER"
    return image


def append_pdfs(main: bytes, parts: list[PdfPart], font: str, numbered_before: int, total: int) -> bytes:
    """Append each PDF page fitted to A4, with the case file's page number under it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(main))
    start = len(writer.pages)
    for part in parts:
        if not part.pages:
            continue
        for source in part.reader.pages:
            page = writer.add_blank_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
            page.merge_transformed_page(source, _fit_to_a4(source))
    footers = PdfReader(io.BytesIO(_footer_pages(font, numbered_before, total, len(writer.pages) - start)))
    for offset, footer in enumerate(footers.pages):
        writer.pages[start + offset].merge_page(footer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fit_to_a4(source: Any) -> Any:
    """Turn the page as its /Rotate says, shrink it to fit A4 clear of the page number, centre it."""
    from pypdf import Transformation

    box = source.mediabox
    w, h = float(box.width), float(box.height)
    rotation = (source.rotation or 0) % 360
    move = Transformation().translate(-float(box.left), -float(box.bottom))
    if rotation == 90:
        move = move.rotate(-90).translate(0, w)
    elif rotation == 180:
        move = move.rotate(180).translate(w, h)
    elif rotation == 270:
        move = move.rotate(90).translate(h, 0)
    shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)
    scale = min(PAGE_WIDTH / shown_w, _ROOM_HEIGHT / shown_h)
    return move.scale(scale, scale).translate((PAGE_WIDTH - shown_w * scale) / 2,
                                              (PAGE_HEIGHT - shown_h * scale) / 2)


def _footer_pages(font: str, numbered_before: int, total: int, count: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), initialFontName=font)
    for n in range(count):
        canvas.setFont(font, SIZE_S4)
        canvas.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, f"第{numbered_before + n + 1}页 共{total}页")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
