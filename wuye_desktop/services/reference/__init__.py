"""Reference lists: the committee, communities, estates and buildings, companies, mediators, sub-types, steps.

The calls of ``choices`` (the committee and the choices the forms offer) are named here.
Public modules: ``lists`` (editable lists: sub-types, step names, mediators, companies), ``places``
(estates and buildings), ``defaults`` (what a new register starts with).
"""

from wuye_desktop.services.reference.choices import (
    Choice,
    CommitteeInfo,
    add_community,
    add_company,
    add_estate,
    add_mediator,
    buildings,
    committee,
    committees,
    communities,
    companies,
    estates,
    mediators,
    step_names,
    subtypes,
    update_committee,
)

__all__ = [
    "Choice",
    "CommitteeInfo",
    "add_community",
    "add_company",
    "add_estate",
    "add_mediator",
    "buildings",
    "committee",
    "committees",
    "communities",
    "companies",
    "estates",
    "mediators",
    "step_names",
    "subtypes",
    "update_committee",
]
