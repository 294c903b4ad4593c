"""Revising an unsigned agreement: its facts, clauses (added, edited, reordered) and terms.

A signed agreement is frozen (it carries a number and the parties'
signatures); only drafts change here, each guarded by its version.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from wuye_desktop.errors import ConflictError, DomainError, NotFoundError
from wuye_desktop.models import Agreement, AgreementClause, AgreementStatus
from wuye_desktop.services import audit
from wuye_desktop.services.cases.dto import AgreementDraft
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires


def _draft(session: Session, agreement_id: int, expected_version: int) -> Agreement:
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise NotFoundError("找不到这份协议，可能已被删除，请重新载入")
    if row.status is AgreementStatus.SIGNED:
        raise DomainError(f"协议 {row.number} 已经签署生效，不能再修改")
    if row.version != expected_version:
        raise ConflictError("这份协议草稿已被其他人修改，请重新载入后再保存")
    return row


@requires(Permission.MEDIATE)
def update_draft(ctx: Context, agreement_id: int, content: AgreementDraft, expected_version: int) -> int:
    """Replace a draft's content; returns its new version."""
    clauses, amount, deadline = agreements.check_draft(content)
    with ctx.db.writing() as session:
        row = _draft(session, agreement_id, expected_version)
        row.kind = content.kind
        row.facts = content.facts.strip()
        row.performance = content.performance.strip()
        row.performance_deadline = deadline
        row.amount = amount
        row.mediator_names = content.mediator_names.strip() or row.mediator_names
        row.recorder = content.recorder.strip() or row.recorder
        old = [c.text for c in row.clauses]
        if old != clauses:
            row.clauses.clear()
            session.flush()
            row.clauses.extend(AgreementClause(position=i, text=t) for i, t in enumerate(clauses, 1))
        row.updated_at = ctx.now()  # the version moves even when only clauses changed
        session.flush()
        audit.record(session, ctx.actor, "edit_agreement", "case", row.case_id,
                     {"agreement": row.id, "clauses": len(clauses)})
        return row.version


@requires(Permission.MEDIATE)
def discard_draft(ctx: Context, agreement_id: int, expected_version: int) -> None:
    with ctx.db.writing() as session:
        row = _draft(session, agreement_id, expected_version)
        audit.record(session, ctx.actor, "discard_agreement", "case", row.case_id, {"agreement": row.id})
        session.delete(row)
