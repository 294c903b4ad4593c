"""What the printed documents are made of, read from the register: snapshots, numbers, permissions, audit."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from service_helpers import (
    add_mediator,
    assign_lead,
    audit_since,
    case_in,
    draft_agreement,
    last_audit_id,
    person,
    register_case,
    step_input,
)
from sqlalchemy import select

from wuye_desktop.errors import (
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    StorageError,
    ValidationError,
)
from wuye_desktop.exports.fonts import MissingGlyphsError
from wuye_desktop.exports.pdf.data import AgreementDoc, CaseFileDoc, FrontMatterDoc, RecordsDoc, VisitsDoc
from wuye_desktop.models import CaseStatus, Party, PartyRole, Performance, RecordKind, Role, Satisfaction
from wuye_desktop.services import settings
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import VisitInput
from wuye_desktop.services.casework import agreements, attachments, documents, mediation, records
from wuye_desktop.services.casework.records import RecordInput
from wuye_desktop.services.context import Context, User

MICRO_HEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def text_of(pdf: bytes) -> str:
    return "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def signed_case(ctx: Context, parties: int = 2) -> tuple[int, str]:
    people = [person("赵一", phone="13800000001", address="幸福里3号楼1201室", occupation="教师", ethnicity="汉族"),
              person("钱二", role=PartyRole.RESPONDENT, phone="13800000002", ethnicity="回族")]
    if parties == 3:
        people.append(person("孙三", role=PartyRole.THIRD_PARTY, phone="13800000003"))
    case_id = register_case(ctx, parties=people).id
    workflow.accept(ctx, case_id)
    assign_lead(ctx, case_id, add_mediator(ctx, "张调解"))
    number = agreements.sign(ctx, draft_agreement(ctx, case_id, recorder="何静"))
    return case_id, number


def test_the_agreement_shows_the_parties_as_they_were_when_they_signed(ctx: Context) -> None:
    case_id, number = signed_case(ctx)
    with ctx.db.writing() as session:  # a party moves and changes phone after signing
        party = session.scalar(select(Party).where(Party.name == "赵一"))
        assert party is not None
        party.phone, party.address = "13911112222", "别处新家"
    doc = documents.gather(ctx, "agreement", case_id)
    assert isinstance(doc, AgreementDoc)
    assert doc.number == number and doc.copies == 3
    first = doc.parties[0]
    assert (first.role, first.name, first.phone, first.address, first.occupation, first.ethnicity) == (
        "申请人", "赵一", "13800000001", "幸福里3号楼1201室", "教师", "汉族")
    assert first.age == 46  # born 1980-01-01, signed on the tests' today, 2026-11-20
    assert doc.mediators == "张调解" and doc.recorder == "何静"
    assert doc.clauses == ("被申请人于2026年11月30日前修复卫生间防水层", "被申请人赔偿申请人天花板修缮费用1200元")
    registration = documents.gather(ctx, "registration", case_id)
    assert registration.parties[0].phone == "13911112222"  # type: ignore[union-attr]
    text = text_of(documents.prepare(ctx, "agreement", case_id).pdf)
    assert "13800000001" in text and "13911112222" not in text


def test_copies_are_the_parties_and_the_committee(ctx: Context) -> None:
    case_id, _number = signed_case(ctx, parties=3)
    printed = documents.prepare(ctx, "agreement", case_id)
    assert "本协议一式四份" in text_of(printed.pdf)
    assert printed.title == "人民调解协议书" and printed.file_name.endswith(".pdf")


def test_no_signed_agreement_no_agreement_to_print(ctx: Context) -> None:
    prepared = case_in(ctx, CaseStatus.MEDIATING)  # it has a draft, never signed
    for kind in ("agreement", "oral_agreement", "visit_record"):
        with pytest.raises(DomainError) as caught:
            documents.prepare(ctx, kind, prepared.case_id)
        assert "还没有签署生效的调解协议" in caught.value.message
    with pytest.raises(DomainError, match="书面协议"):
        documents.prepare(ctx, "oral_agreement", signed_case(ctx)[0])
    with pytest.raises(DomainError, match="没有名为"):
        documents.prepare(ctx, "poster", prepared.case_id)


def test_every_print_is_audited_and_needs_the_print_permission(ctx: Context, tmp_path: Path) -> None:
    case_id, number = signed_case(ctx)
    before = last_audit_id(ctx)
    printed = documents.prepare(ctx, "agreement", case_id)
    documents.save(ctx, printed, tmp_path / "协议书.pdf")
    documents.record_printed(ctx, printed, "办公室打印机", 2)
    documents.write_pdf(ctx, "registration", case_id, tmp_path / "登记表.pdf")
    assert [(a[1], a[2], a[3]) for a in audit_since(ctx, before)] == [("print", "case", str(case_id))] * 4
    assert (tmp_path / "协议书.pdf").read_bytes() == printed.pdf
    viewer = Context(ctx.db, User("访客", Role.VIEWER), today_override=ctx.today())
    with pytest.raises(PermissionDeniedError):
        documents.prepare(viewer, "agreement", case_id)
    assert printed.number == number


def test_a_file_that_cannot_be_written_is_a_clear_error_and_leaves_nothing(ctx: Context, tmp_path: Path) -> None:
    case_id = register_case(ctx).id
    out = tmp_path / "out"
    folder = out / "已存在的文件夹.pdf"
    folder.mkdir(parents=True)
    with pytest.raises(StorageError, match="无法保存"):
        documents.write_pdf(ctx, "registration", case_id, folder)
    assert list(out.iterdir()) == [folder] and list(folder.iterdir()) == []


def test_records_are_the_steps_and_sessions_in_the_order_held(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.ACCEPTED).case_id
    mediation.record_step(ctx, case_id, step_input(day=8, content="讨论漏水责任"))
    records.add_record(ctx, case_id, RecordInput(RecordKind.INVESTIGATION, datetime(2026, 11, 6, 9), "查看现场"))
    records.add_record(ctx, case_id, RecordInput(RecordKind.SESSION, datetime(2026, 11, 12, 9), "调解",
                                                 statements="双方陈述"))
    doc = documents.gather(ctx, "session_record", case_id)
    assert isinstance(doc, RecordsDoc)
    assert [type(e).__name__ for e in doc.entries] == ["SessionRecord", "StepRecord", "SessionRecord"]
    assert [e.held_at.day for e in doc.entries] == [6, 8, 12]
    printed = documents.prepare(ctx, "session_record", case_id)
    assert printed.pages == 3 and "双方陈述" in text_of(printed.pdf)


def test_the_case_file_holds_everything_including_attachments(ctx: Context, tmp_path: Path) -> None:
    case_id, number = signed_case(ctx)
    agreements.record_visit(ctx, case_id, VisitInput("2026-11-19", "张调解", Performance.PERFORMED,
                                                     Satisfaction.SATISFIED, method="电话"))
    photo = tmp_path / "现场.png"
    Image.new("RGB", (400, 300), "gray").save(photo)
    attachments.add(ctx, case_id, photo, category="现场照片")
    doc = documents.gather(ctx, "casefile", case_id)
    assert isinstance(doc, CaseFileDoc) and doc.agreement is not None and doc.visits is not None
    assert doc.attachments[0].path.is_file() and doc.attachments[0].is_image
    assert doc.cover.title == "赵一与钱二物业纠纷" and doc.cover.retention == "长期"
    text = text_of(documents.prepare(ctx, "casefile", case_id).pdf)
    for piece in ("人民调解卷宗", "卷内目录", "人民调解受理登记表", "人民调解协议书", number, "人民调解回访记录",
                  "现场照片：现场.png"):
        assert piece in text, piece
    front = documents.gather(ctx, "cover", case_id)
    assert isinstance(front, FrontMatterDoc)
    visits = documents.gather(ctx, "visit_record", case_id)
    assert isinstance(visits, VisitsDoc) and visits.visits[0].satisfaction == "满意"


def test_a_case_is_found_by_number_id_or_agreement_number(ctx: Context) -> None:
    case_id, number = signed_case(ctx)
    case_number = documents.gather(ctx, "registration", case_id).case_number  # type: ignore[union-attr]
    assert documents.resolve_case(ctx, case_number) == case_id
    assert documents.resolve_case(ctx, str(case_id)) == case_id
    assert documents.resolve_case(ctx, number) == case_id
    with pytest.raises(NotFoundError, match="找不到案件"):
        documents.resolve_case(ctx, "（2026）某某调字第999号")


def test_the_font_setting_is_checked_and_a_rare_character_is_named(ctx: Context) -> None:
    with pytest.raises(ValidationError):
        settings.put(ctx, settings.DOCUMENT_FONT, "/nowhere/simfang.ttf")
    settings.put(ctx, settings.DOCUMENT_FONT, MICRO_HEI)
    case_id = register_case(ctx, parties=[person("王䶮"), person("李四", role=PartyRole.RESPONDENT)]).id
    with pytest.raises(MissingGlyphsError) as caught:
        documents.prepare(ctx, "registration", case_id)
    helper = caught.value.suggestion
    assert helper is not None and helper.has("䶮")  # 文泉驿正黑 on a bare Debian, or any other that has it
    assert "䶮" in caught.value.message and f"“{helper.family}”有这些字" in caught.value.message
    settings.put(ctx, settings.DOCUMENT_FONT, "")
    assert "王䶮" in text_of(documents.prepare(ctx, "registration", case_id).pdf)
    with pytest.raises(ValidationError):
        settings.put(ctx, settings.DOCUMENT_RETENTION, "  ")
