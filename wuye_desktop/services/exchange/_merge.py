"""Merging a verified exchange file into the county's register, by stable ids, inside the caller's transaction.

Rules:

- Every row is found by its ``uid``; a place the county already has under
  another uid (the same 社区 name, the same 统一社会信用代码, the same estate or
  building name) is used instead of a second copy.
- A row whose content is the same is left alone, so importing a file twice
  changes nothing.
- A case is taken whole from the newest export of its room (changed rows
  updated, new ones added, rows the room no longer has removed). A file older
  than one already imported (by its ``created_at``) changes a case only where
  its copy is further along (latest ``updated_at``, then the sum of row
  versions), so an older file never undoes a newer one.
- Case history (``case_event``) is only ever added to.
- Case numbers are the room's own, under the room's committee: the county's
  numbering (its own committee) never touches them.
- A room's file creates and changes only its own committee's records. A case,
  a row of a case or a party that already belongs to another committee here
  (another room's, or the county's own) is refused, never moved or rewritten.
  A row of the shared lists (places, companies, sub-types, mediators) may be
  changed only by the room whose file brought it (``RecordOrigin``); a row the
  county made itself (or that came before files were signed) is mapped to,
  never rewritten. All of this is checked before the first write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError
from wuye_desktop.models import Base, Building, CaseSearchText, Estate, PropertyCompany, RecordOrigin
from wuye_desktop.services.cases import search
from wuye_desktop.services.exchange import rows

_CHUNK = 500
# Natural keys of the county's own lists: (table, columns).
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "community": ("name",), "property_company": ("credit_code",), "estate": ("community_id", "name"),
    "building": ("estate_id", "name"), "dispute_subtype": ("name",),
}
# Lists every room shares at the county (besides its committee and its parties): who brought a row may change it.
_SHARED = frozenset({"community", "property_company", "estate", "building", "dispute_subtype", "mediator"})


@dataclass
class MergeCounts:
    cases_new: int = 0
    cases_updated: int = 0
    cases_unchanged: int = 0
    cases_older: int = 0  # the county already had a newer copy
    rows_changed: int = 0


def _table(name: str) -> Table:
    return next(t for t in rows.ALL_TABLES if t.name == name)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


class Merger:
    """Merges one file's tables; ``ids`` maps each table's uids to the county's keys."""

    def __init__(self, session: Session, label: str, authoritative: bool, committee_uid: str) -> None:
        self.session = session
        self.label = label  # the file, for messages
        # The newest export of this room seen so far: its cases are taken as they are. An older file
        # (imported out of order) only adds what is new or visibly further along.
        self.authoritative = authoritative
        self.committee_uid = committee_uid  # the room's, as its file declares and its pinned key vouches
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)
        self.counts = MergeCounts()
        self._natural: dict[str, dict[tuple[Any, ...], int]] = {}
        self._origins: dict[str, dict[str, str]] = {}  # table -> uid -> committee uid, for the file's shared rows

    def merge(self, tables: dict[str, list[dict[str, Any]]]) -> MergeCounts:
        self._refuse_others_records(tables)
        for table in rows.REFERENCE_TABLES:
            self._upsert(table, tables.get(table.name, []))
        self._merge_cases(tables)
        return self.counts

    # -- whose records -----------------------------------------------------------------------

    def _refuse_others_records(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Refuse the file if any of its uids already is another committee's record here."""
        case, committee = rows.CASE_TABLE, _table("committee")
        agreement = next(t for t in rows.CHILD_TABLES if t.name == "agreement")
        for table in (case, *rows.CHILD_TABLES):
            uids = [r["uid"] for r in tables.get(table.name, [])]
            if table is case:
                stmt = select(case.c.uid, committee.c.name).join(committee, committee.c.id == case.c.committee_id)
                where = case.c.uid
            elif table.name == "agreement_clause":
                stmt = (select(table.c.uid, committee.c.name).join(agreement, agreement.c.id == table.c.agreement_id)
                        .join(case, case.c.id == agreement.c.case_id)
                        .join(committee, committee.c.id == case.c.committee_id))
                where = table.c.uid
            else:
                stmt = (select(table.c.uid, committee.c.name).join(case, case.c.id == table.c.case_id)
                        .join(committee, committee.c.id == case.c.committee_id))
                where = table.c.uid
            self._refuse_found(table.name, stmt.where(committee.c.uid != self.committee_uid), where, uids, "的案件")
        # A party is its cases' record; a mediator is (also) the record of the cases it is assigned to.
        party, link, mediator, assignment = (_table(n) for n in ("party", "case_party", "mediator", "assignment"))
        for table, joined in ((party, link), (mediator, assignment)):
            fk = joined.c.party_id if table is party else joined.c.mediator_id
            stmt = (select(table.c.uid, committee.c.name).join(joined, fk == table.c.id)
                    .join(case, case.c.id == joined.c.case_id).join(committee, committee.c.id == case.c.committee_id)
                    .where(committee.c.uid != self.committee_uid))
            self._refuse_found(table.name, stmt, table.c.uid, [r["uid"] for r in tables.get(table.name, [])],
                               "的案件")
        origin = Base.metadata.tables[RecordOrigin.__tablename__]
        for name in sorted(_SHARED):
            uids = [r["uid"] for r in tables.get(name, [])]
            found: dict[str, str] = {}
            for chunk in _chunks(uids):
                found.update({uid: owner for uid, owner in self.session.execute(
                    select(origin.c.uid, origin.c.committee_uid).where(
                        origin.c.table_name == name, origin.c.uid.in_(chunk)))})
            self._origins[name] = found
            stmt = (select(origin.c.uid, func.coalesce(committee.c.name, origin.c.committee_uid))
                    .outerjoin(committee, committee.c.uid == origin.c.committee_uid)
                    .where(origin.c.table_name == name, origin.c.committee_uid != self.committee_uid))
            self._refuse_found(name, stmt, origin.c.uid, uids, "报送")

    def _refuse_found(self, table: str, stmt: Any, column: Any, uids: list[str], whose: str) -> None:
        for chunk in _chunks(uids):
            found = self.session.execute(stmt.where(column.in_(chunk)).limit(1)).first()
            if found is not None:
                uid, other = found
                raise DomainError(
                    f"文件“{self.label}”中的{rows.LABELS.get(table, table)}（{uid}）在本台账中是“{other}”{whose}"
                    "的记录，调解室只能报送本调委会自己的记录，没有导入任何数据。")

    # -- rows ------------------------------------------------------------------------------

    def _resolve(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        """The row with its uid references replaced by the county's keys."""
        out = dict(row)
        for column in table.columns:
            target = rows.reference_of(column)
            if target is None or column.name == "id":
                continue
            uid = row.get(column.name)
            if (table.name, column.name) in rows.DROPPED_REFERENCES or uid is None:
                out[column.name] = None
                continue
            key = self.ids[target].get(uid)
            if key is None:
                raise DomainError(
                    f"文件“{self.label}”中的{rows.LABELS.get(table.name, table.name)}引用了文件中没有的"
                    f"{rows.LABELS.get(target, target)}，数据不完整，没有导入任何数据。请让调解室重新导出。")
            out[column.name] = key
        return out

    def _existing(self, table: Table, uids: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in _chunks(uids):
            for row in self.session.execute(select(table).where(table.c.uid.in_(chunk))):
                found[row.uid] = row
        return found

    def _upsert(self, table: Table, incoming: list[dict[str, Any]]) -> None:
        """Insert new rows, update changed ones, map every uid to the county's key."""
        existing = self._existing(table, [r["uid"] for r in incoming])
        natural = self._natural_index(table) if table.name in _NATURAL_KEYS else {}
        new: list[dict[str, Any]] = []
        for raw in incoming:
            row = self._resolve(table, raw)
            uid = row["uid"]
            old = existing.get(uid)
            if old is not None:
                self.ids[table.name][uid] = old.id
                if table.name in _SHARED and self._origins[table.name].get(uid) != self.committee_uid:
                    continue  # the county's own row (or one from before files were signed): used, never rewritten

                self._update_if_changed(table, old, row)
                continue
            key = self._natural_key(table, row)
            if key is not None and key in natural:
                self.ids[table.name][uid] = natural[key]  # the county's own row for the same place
                continue
            new.append(row)
        self._insert(table, new)
        if table.name in _SHARED:
            self._note_origin(table.name, [r["uid"] for r in new])

    def _note_origin(self, table: str, uids: list[str]) -> None:
        if uids:
            self.session.execute(insert(RecordOrigin),
                                 [{"table_name": table, "uid": u, "committee_uid": self.committee_uid} for u in uids])
            self._origins[table].update(dict.fromkeys(uids, self.committee_uid))

    def _insert(self, table: Table, new: list[dict[str, Any]]) -> None:
        if not new:
            return
        self.session.execute(insert(table), new)
        self.counts.rows_changed += len(new)
        for uid, key in self._ids_of(table, [r["uid"] for r in new]).items():
            self.ids[table.name][uid] = key
        self._natural.pop(table.name, None)

    def _ids_of(self, table: Table, uids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(uids):
            found.update({u: i for u, i in self.session.execute(
                select(table.c.uid, table.c.id).where(table.c.uid.in_(chunk)))})
        return found

    def _update_if_changed(self, table: Table, old: Any, row: dict[str, Any]) -> bool:
        current = old._mapping
        changed = {name: value for name, value in row.items() if current[name] != value}
        if not changed:
            return False
        self.session.execute(update(table).where(table.c.id == old.id).values(**row))
        self.counts.rows_changed += 1
        return True

    def _natural_index(self, table: Table) -> dict[tuple[Any, ...], int]:
        if table.name not in self._natural:
            columns = [table.c[name] for name in _NATURAL_KEYS[table.name]]
            self._natural[table.name] = {
                tuple(r[1:]): r[0] for r in self.session.execute(select(table.c.id, *columns))
                if all(v is not None for v in r[1:])}
        return self._natural[table.name]

    @staticmethod
    def _natural_key(table: Table, row: dict[str, Any]) -> tuple[Any, ...] | None:
        names = _NATURAL_KEYS.get(table.name)
        if names is None:
            return None
        key = tuple(row[n] for n in names)
        return None if any(v is None or v == "" for v in key) else key

    # -- cases -----------------------------------------------------------------------------

    def _merge_cases(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        cases = tables.get("mediation_case", [])
        case_table = rows.CASE_TABLE
        existing = self._existing(case_table, [r["uid"] for r in cases])
        self._refuse_number_clash(cases, existing)
        children = {t.name: tables.get(t.name, []) for t in rows.CHILD_TABLES}
        agreement_case = {r["uid"]: r["case_id"] for r in children["agreement"]}

        def owner(table: str, row: dict[str, Any]) -> str:
            return str(agreement_case[row["agreement_id"]] if table == "agreement_clause" else row["case_id"])

        # How far each case has got: the latest change and the sum of row versions (every save adds
        # one), so two exports within the same second of SQLite's clock are still told apart.
        file_progress: dict[str, tuple[datetime, int]] = {r["uid"]: (r["updated_at"], r["version"]) for r in cases}
        for table, found in children.items():
            for row in found:
                uid = owner(table, row)
                if uid in file_progress:
                    when, versions = file_progress[uid]
                    file_progress[uid] = (max(when, row["updated_at"]), versions + row["version"])
        county_progress = self._county_progress([old.id for old in existing.values()])

        applied: set[str] = set()
        new_cases: list[dict[str, Any]] = []
        for raw in cases:
            uid = raw["uid"]
            old = existing.get(uid)
            if old is None:
                new_cases.append(self._resolve(case_table, raw))
                applied.add(uid)
                continue
            self.ids["mediation_case"][uid] = old.id
            if not self.authoritative and file_progress[uid] <= county_progress[old.id]:
                self.counts.cases_older += 1
                continue
            applied.add(uid)
        self._insert(case_table, new_cases)
        self.counts.cases_new += len(new_cases)

        changed_cases: set[str] = set()
        for raw in cases:
            if raw["uid"] in applied and raw["uid"] in existing:
                row = self._resolve(case_table, raw)
                if self._update_if_changed(case_table, existing[raw["uid"]], row):
                    changed_cases.add(raw["uid"])
        changed_cases |= self._sync_children(children, applied, set(existing), owner)
        self.counts.cases_updated += len(changed_cases & set(existing))
        self.counts.cases_unchanged += len((applied & set(existing)) - changed_cases)
        self._add_events(tables.get("case_event", []))
        self._refresh_search({self.ids["mediation_case"][u] for u in applied})

    def _refuse_number_clash(self, cases: list[dict[str, Any]], existing: dict[str, Any]) -> None:
        """A different case under the same committee and number: the room's register was replaced."""
        table = rows.CASE_TABLE
        fresh = [r for r in cases if r["uid"] not in existing]
        for chunk in _chunks(fresh):
            numbers = [r["number"] for r in chunk]
            for number, in self.session.execute(select(table.c.number).where(
                    table.c.committee_id == self.ids["committee"][chunk[0]["committee_id"]],
                    table.c.number.in_(numbers))):
                raise DomainError(
                    f"文件“{self.label}”中的案件 {number} 与本台账中同一调委会已有的另一件案件编号相同"
                    "（调解室的台账可能被重建过），为避免混淆，没有导入任何数据。请联系技术支持。")

    def _county_progress(self, case_ids: list[int]) -> dict[int, tuple[datetime, int]]:
        """(latest ``updated_at``, sum of versions) of each case with every row hanging off it, here."""
        progress: dict[int, tuple[datetime, int]] = {}
        agreement = next(t for t in rows.CHILD_TABLES if t.name == "agreement")
        for chunk in _chunks(case_ids):
            for table in (rows.CASE_TABLE, *rows.CHILD_TABLES):
                measures = (func.max(table.c.updated_at), func.sum(table.c.version))
                if table.name == "agreement_clause":
                    key = agreement.c.case_id
                    stmt = select(key, *measures).join(agreement, agreement.c.id == table.c.agreement_id)
                else:
                    key = table.c.id if table is rows.CASE_TABLE else table.c.case_id
                    stmt = select(key, *measures)
                for case_id, when, versions in self.session.execute(stmt.where(key.in_(chunk)).group_by(key)):
                    if case_id in progress:
                        latest, total = progress[case_id]
                        progress[case_id] = (max(latest, when), total + int(versions))
                    else:
                        progress[case_id] = (when, int(versions))
        return progress

    def _sync_children(self, children: dict[str, list[dict[str, Any]]], applied: set[str],
                       existing_cases: set[str], owner: Any) -> set[str]:
        """Make the rows of the applied cases what the file says; returns the cases that changed."""
        changed: set[str] = set()
        kept = {name: [r for r in found if owner(name, r) in applied] for name, found in children.items()}
        resync = [self.ids["mediation_case"][u] for u in applied & existing_cases]
        case_uid = {self.ids["mediation_case"][u]: u for u in applied & existing_cases}
        # Rows the room no longer has go first, so a re-added party link cannot collide with its old row.
        for table in reversed(rows.CHILD_TABLES):
            wanted = {r["uid"] for r in kept[table.name]}
            for case_id, uid in self._child_uids(table, resync):
                if uid not in wanted:
                    self.session.execute(delete(table).where(table.c.uid == uid))
                    self.counts.rows_changed += 1
                    changed.add(case_uid[case_id])
        for table in rows.CHILD_TABLES:
            found = kept[table.name]
            existing = self._existing(table, [r["uid"] for r in found])
            new = []
            for raw in found:
                row = self._resolve(table, raw)
                old = existing.get(raw["uid"])
                if old is None:
                    new.append(row)
                    changed.add(owner(table.name, raw))
                    continue
                self.ids[table.name][raw["uid"]] = old.id
                if self._update_if_changed(table, old, row):
                    changed.add(owner(table.name, raw))
            self._insert(table, new)
        return changed

    def _child_uids(self, table: Table, case_ids: list[int]) -> Iterable[tuple[int, str]]:
        agreement = next(t for t in rows.CHILD_TABLES if t.name == "agreement")
        for chunk in _chunks(case_ids):
            if table.name == "agreement_clause":
                stmt = select(agreement.c.case_id, table.c.uid).join(
                    agreement, agreement.c.id == table.c.agreement_id).where(agreement.c.case_id.in_(chunk))
            else:
                stmt = select(table.c.case_id, table.c.uid).where(table.c.case_id.in_(chunk))
            yield from ((case_id, uid) for case_id, uid in self.session.execute(stmt))

    # -- history and search text --------------------------------------------------------------

    def _add_events(self, events: list[dict[str, Any]]) -> None:
        table = rows.EVENT_TABLE
        resolved = [self._resolve(table, r) for r in events]
        case_ids = sorted({r["case_id"] for r in resolved})
        fields = [c.name for c in table.columns if c.name != "id"]
        have: set[tuple[Any, ...]] = set()
        for chunk in _chunks(case_ids):
            have |= {tuple(r) for r in self.session.execute(
                select(*[table.c[f] for f in fields]).where(table.c.case_id.in_(chunk)))}
        new = []
        for row in resolved:
            key = tuple(row[f] for f in fields)
            if key not in have:
                have.add(key)
                new.append(row)
        if new:
            self.session.execute(insert(table), new)
            self.counts.rows_changed += len(new)

    def _refresh_search(self, case_ids: set[int]) -> None:
        """The searchable text of the merged cases, as the room's own register composes it."""
        if not case_ids:
            return
        from wuye_desktop.models import CaseParty, MediationCase, Party

        ordered = sorted(case_ids)
        bodies: dict[int, list[object]] = {}
        for chunk in _chunks(ordered):
            for case, estate, building, company in self.session.execute(
                select(MediationCase.id, Estate.name, Building.name, PropertyCompany.name)
                .outerjoin(Estate, Estate.id == MediationCase.estate_id)
                .outerjoin(Building, Building.id == MediationCase.building_id)
                .outerjoin(PropertyCompany, PropertyCompany.id == MediationCase.property_company_id)
                .where(MediationCase.id.in_(chunk))
            ):
                bodies[case] = [estate, building, company]
        texts: dict[int, list[object]] = {}
        for chunk in _chunks(ordered):
            for row in self.session.execute(
                select(MediationCase.id, MediationCase.number, MediationCase.source_ref,
                       MediationCase.summary, MediationCase.facts).where(MediationCase.id.in_(chunk))
            ):
                texts[row.id] = [row.number, row.source_ref, row.summary, row.facts]
            for link in self.session.execute(
                select(CaseParty.case_id, Party.name, Party.phone, Party.id_number, Party.address, Party.room,
                       Party.representative, CaseParty.agent_name)
                .join(Party, Party.id == CaseParty.party_id).where(CaseParty.case_id.in_(chunk))
                .order_by(CaseParty.case_id, CaseParty.position, CaseParty.id)
            ):
                texts[link.case_id] += list(link[1:])
        current: dict[int, str] = {}
        for chunk in _chunks(ordered):
            current.update(dict(self.session.execute(
                select(CaseSearchText.case_id, CaseSearchText.body).where(CaseSearchText.case_id.in_(chunk))).all()))
        for case_id in ordered:
            body = search.compose(texts[case_id] + bodies[case_id])
            if current.get(case_id) != body:
                search.store(self.session, case_id, body)
