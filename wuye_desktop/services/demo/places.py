"""The demo room's committee, estates, buildings, companies and mediators (made once, then reused)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wuye_desktop.models import (
    Building,
    Community,
    CompanyGrade,
    Estate,
    Mediator,
    MediatorKind,
    Party,
    PartyKind,
    PropertyCompany,
)
from wuye_desktop.services import audit
from wuye_desktop.services.cases.registration import default_committee
from wuye_desktop.services.context import Context
from wuye_desktop.services.demo import content
from wuye_desktop.services.demo.people import credit_code, mobile, person_name
from wuye_desktop.services.reference.defaults import DEFAULT_COMMITTEE_SHORT

DEMO_COMMITTEE = ("黄石港街道幸福里社区人民调解委员会", "幸福里")


@dataclass(frozen=True)
class DemoEstate:
    id: int
    name: str
    weight: int
    buildings: list[tuple[int, str]]
    company_id: int | None
    company_name: str
    company_party_id: int | None


@dataclass(frozen=True)
class Places:
    committee_id: int
    estates: list[DemoEstate]
    mediators: list[tuple[int, str]]


def ensure_places(ctx: Context, rng: random.Random) -> Places:
    with ctx.db.writing() as session:
        committee = default_committee(session)
        if committee.short_name == DEFAULT_COMMITTEE_SHORT:
            committee.name, committee.short_name = DEMO_COMMITTEE
            committee.seal_text = f"{committee.name}（印章）"
            committee.address = "黄石市黄石港区幸福里社区党群服务中心二楼"
            committee.phone = "0714-6251234"
        if session.scalar(select(Estate.id).limit(1)) is None:
            _create(session, rng)
            audit.record(session, "演示数据", "demo", "register", "", {"created": "places"})
        estates = session.scalars(select(Estate).options(
            selectinload(Estate.buildings), selectinload(Estate.property_company))).all()
        company_parties = dict(session.execute(
            select(Party.id_number, Party.id).where(Party.kind == PartyKind.COMPANY)).all())
        result = [
            DemoEstate(
                id=e.id, name=e.name, weight=max(len(e.buildings), 1),
                buildings=[(b.id, b.name) for b in e.buildings] or [(0, "")],
                company_id=e.property_company_id,
                company_name=e.property_company.name if e.property_company else "",
                company_party_id=company_parties.get(e.property_company.credit_code or "")
                if e.property_company else None,
            )
            for e in estates
        ]
        mediators = list(session.execute(
            select(Mediator.id, Mediator.name).where(Mediator.active.is_(True)).order_by(Mediator.id)).all())
        return Places(committee.id, result, [(i, n) for i, n in mediators])


def _create(session: Session, rng: random.Random) -> None:
    communities = [Community(name=n, street=content.STREET) for n in content.COMMUNITIES]
    session.add_all(communities)
    companies = []
    for name in content.COMPANIES:
        code = credit_code(rng)
        manager = person_name(rng)
        company = PropertyCompany(
            name=name, credit_code=code, contact_person=manager, phone=mobile(rng),
            address=f"黄石市黄石港区{rng.choice(('湖滨大道', '黄石大道', '天津路', '颐阳路'))}{rng.randint(1, 300)}号",
            grade=rng.choice(list(CompanyGrade)),
        )
        companies.append(company)
        session.add(Party(kind=PartyKind.COMPANY, name=name, id_number=code, phone=company.phone,
                          address=company.address, representative=manager, representative_title="总经理"))
    session.add_all(companies)
    for index, (name, count) in enumerate(content.ESTATES):
        estate = Estate(name=name, community=communities[index % len(communities)],
                        property_company=companies[index % len(companies)],
                        address=f"黄石市黄石港区{name}", households=count * 48)
        estate.buildings = [Building(name=f"{n}号楼", sort_key=n) for n in range(1, count + 1)]
        session.add(estate)
    session.flush()
    all_buildings = session.scalars(select(Building)).all()
    for name, kind, title, specialties in content.MEDIATORS:
        home = rng.choice(all_buildings)
        session.add(Mediator(name=name, kind=MediatorKind(kind), title=title, specialties=specialties,
                             phone=mobile(rng), gender="女" if name[-1] in "兰英娟华" else "男",
                             home_estate_id=home.estate_id, home_building_id=home.id))
