"""Every committed write produces its change set, whatever door it came through; nothing else does.

The screens refresh from these alone (ui/bus.py): a write whose change set
lacks a topic leaves a stale list on some screen, which these tests catch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from service_helpers import add_estate, add_mediator, case_in, draft_agreement, person, register_case

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models import Base
from wuye_desktop.models.enums import CaseStatus, PartyRole, Role
from wuye_desktop.services import cases, changes, demo, settings
from wuye_desktop.services.accounts import admin
from wuye_desktop.services.cases import editing, workflow
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import CompanyInput
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.engine import CASE_TABLES, Written

PASSWORD = "Xin!Mima2026"


@contextmanager
def heard(ctx: Context) -> Iterator[list[Changes]]:
    """The change sets of the writes made inside the block, in order."""
    seen: list[Changes] = []
    stop = ctx.db.watch(lambda written: seen.append(changes.of(written)))
    try:
        yield seen
    finally:
        stop()


def merged(seen: list[Changes]) -> set[Topic]:
    return {topic for change in seen for topic in change.topics}


def test_every_table_of_the_register_belongs_to_a_topic() -> None:
    tables = set(Base.metadata.tables)
    assert tables - set(changes.TABLE_TOPICS) == set(), "a new table needs its topic, or no screen hears of it"
    assert {changes.TABLE_TOPICS[t] for t in CASE_TABLES} <= CASE_TOPICS
    assert tables >= CASE_TABLES


def test_registering_a_case_names_the_case_its_parties_and_the_audit(ctx: Context) -> None:
    with heard(ctx) as seen:
        ref = register_case(ctx)
    assert len(seen) == 1
    assert {Topic.CASES, Topic.PARTIES, Topic.AUDIT} <= seen[0].topics
    assert seen[0].case_ids == {ref.id}
    assert seen[0].touches_case(ref.id) and not seen[0].touches_case(ref.id + 1)


def test_each_step_of_a_case_names_that_case_alone(ctx: Context) -> None:
    other = register_case(ctx, "另一件：楼道堆物").id
    case_id = register_case(ctx).id
    mediator = add_mediator(ctx, "李桂兰")
    with heard(ctx) as seen:
        workflow.accept(ctx, case_id)
        mediation.assign(ctx, case_id, mediator)
        agreement = draft_agreement(ctx, case_id)
        agreements.sign(ctx, agreement)
    topics = [change.topics for change in seen]
    assert Topic.CASES in topics[0]
    assert Topic.CASEWORK in topics[1]
    assert Topic.AGREEMENTS in topics[2] and Topic.AGREEMENTS in topics[3]
    assert all(change.case_ids == {case_id} for change in seen)
    assert not any(change.touches_case(other) for change in seen)


def test_correcting_a_party_names_its_case(ctx: Context) -> None:
    case_id = register_case(ctx).id
    other = case_in(ctx, CaseStatus.REGISTERED).case_id  # a second case the correction must not touch
    case = cases.get(ctx, case_id)
    party = case.parties[0]
    with heard(ctx) as seen:
        corrected = person("赵一（更正）", role=PartyRole.APPLICANT)
        editing.update_party(ctx, case_id, party.party_id, corrected, case.version)
    assert Topic.PARTIES in merged(seen)
    assert all(change.touches_case(case_id) and not change.touches_case(other) for change in seen)


def test_reference_settings_and_accounts_touch_no_case(ctx: Context) -> None:
    register_case(ctx)
    with heard(ctx) as seen:
        add_estate(ctx, "幸福里小区", "黄石安居物业", 11)
        lists.add_company(ctx, CompanyInput("新港物业有限公司", "", "", "", ""))
        settings.put(ctx, settings.MEDIATION_DAYS, 45)
        admin.add(ctx, "wenshu2", "李文书", Role.CLERK, PASSWORD)
    assert [Topic.REFERENCE in c.topics for c in seen[:-2]] == [True] * (len(seen) - 2)
    assert seen[-2].touches(Topic.SETTINGS) and not seen[-2].touches(Topic.REFERENCE)
    assert seen[-1].touches(Topic.ACCOUNTS)
    assert not any(change.topics & CASE_TOPICS for change in seen)
    assert not any(change.touches_case(1) for change in seen)


def test_a_refused_write_and_a_read_produce_nothing(ctx: Context) -> None:
    case_id = register_case(ctx).id
    with heard(ctx) as seen:
        with pytest.raises(ValidationError):
            settings.put(ctx, settings.MEDIATION_DAYS, "很多天")
        with pytest.raises(DomainError):
            workflow.close(ctx, case_id)  # a registered case cannot be closed
        cases.get(ctx, case_id)
    assert seen == []


def test_a_bulk_write_says_cases_changed_without_naming_them(ctx: Context) -> None:
    with heard(ctx) as seen:
        demo.generate(ctx, 30, seed=4)
    assert seen and any(change.touches(Topic.CASES) for change in seen)
    bulk = [change for change in seen if change.touches(Topic.CASES)]
    # Whether a batch names its cases or not, every case window must hear it.
    assert all(change.case_ids is None or change.case_ids for change in bulk)
    assert any(change.touches_case(7) for change in bulk)


def test_a_write_on_another_thread_is_heard_on_that_thread(ctx: Context) -> None:
    threads: list[str] = []
    stop = ctx.db.watch(lambda _w: threads.append(threading.current_thread().name))
    try:
        worker = threading.Thread(target=lambda: register_case(ctx), name="后台")
        worker.start()
        worker.join()
    finally:
        stop()
    assert threads == ["后台"]


def test_a_restore_replaces_everything(data_dir: Path) -> None:
    db = open_register(data_dir=str(data_dir))  # backups and restores are of a PC's own register file
    try:
        local = Context(db, User("王晓燕", Role.ADMIN))
        register_case(local)
        backup = backups.back_up(local)
        register_case(local, "备份之后登记的")
        with heard(local) as seen:
            restore.restore(local, Path(backup.path))
    finally:
        db.dispose()
    assert seen[-1] == changes.EVERYTHING, "the restore's own audit entry comes first, then everything"
    assert seen[-1].touches_case(12345) and seen[-1].touches(Topic.ACCOUNTS)


def test_a_watcher_that_fails_does_not_undo_the_write(ctx: Context) -> None:
    def broken(_written: Written) -> None:
        raise RuntimeError("a view failed to reload")

    stop = ctx.db.watch(broken)
    try:
        ref = register_case(ctx)
    finally:
        stop()
    assert cases.get(ctx, ref.id).number == ref.number
