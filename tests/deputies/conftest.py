"""The deputies of the named district: district deputies elected in towns A and B, and each
town's township deputies."""

import pytest

from tests.factories.deputies import ConstituencyFactory, DeputyFactory, TownshipDeputyFactory


@pytest.fixture
def constituency_a(district_body, town_a):
    return ConstituencyFactory(body=district_body, number=1, name="大同第一选区", region=town_a)


@pytest.fixture
def constituency_b(district_body, town_b):
    return ConstituencyFactory(body=district_body, number=2, name="祥平第一选区", region=town_b)


@pytest.fixture
def district_deputy_a(district_body, constituency_a):
    """A district deputy elected in town A."""
    return DeputyFactory(body=district_body, constituency=constituency_a, name="陈区代表")


@pytest.fixture
def district_deputy_b(district_body, constituency_b):
    return DeputyFactory(body=district_body, constituency=constituency_b, name="黄区代表")


@pytest.fixture
def township_deputy_a(township_body_a):
    return TownshipDeputyFactory(body=township_body_a, name="王镇代表")


@pytest.fixture
def township_deputy_b(township_body_b):
    return TownshipDeputyFactory(body=township_body_b, name="李镇代表")
