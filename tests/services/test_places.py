"""Estates and buildings as the companies page adds them: new communities, building names as typed."""

from __future__ import annotations

import pytest
from service_helpers import audit_since, credit_code, last_audit_id

from wuye_desktop.errors import ValidationError
from wuye_desktop.services import reference
from wuye_desktop.services.context import Context
from wuye_desktop.services.reference import places


def test_an_estate_with_its_buildings_in_a_new_community(ctx: Context) -> None:
    company = reference.add_company(ctx, "安居物业", credit_code=credit_code(7))
    estate_id = places.add_estate(ctx, "锦绣花园", "幸福里社区", company, "1号楼，2号楼、3号楼 3号楼")
    [view] = places.estates(ctx, company)
    assert (view.name, view.community, view.buildings) == ("锦绣花园", "幸福里社区", ["1号楼", "2号楼", "3号楼"])
    assert places.estate_company(ctx, estate_id) == company and places.estate_company(ctx, None) is None
    before = last_audit_id(ctx)
    assert places.add_buildings(ctx, estate_id, "3号楼 5号楼") == ["5号楼"]
    assert places.estates(ctx)[0].buildings[-1] == "5号楼"
    assert audit_since(ctx, before) == [("王晓燕", "add_buildings", "estate", str(estate_id))]
    assert [c.name for c in reference.communities(ctx)] == ["幸福里社区"]


def test_names_are_required_and_unique_in_a_community(ctx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        places.add_estate(ctx, " ", "", None)
    assert set(caught.value.errors) == {"name", "community"}
    places.add_estate(ctx, "锦绣花园", "幸福里社区", None)
    with pytest.raises(ValidationError) as caught:
        places.add_estate(ctx, "锦绣花园", "幸福里社区", None)
    assert "name" in caught.value.errors
    with pytest.raises(ValidationError):
        places.add_buildings(ctx, places.estates(ctx)[0].id, "，、")
