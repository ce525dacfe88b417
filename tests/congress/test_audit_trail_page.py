"""Auditors read the audit trail in the console (SECURITY S20, S21)."""

import pytest
from django.urls import reverse

from congress import audit_chain
from congress.workflow import record_event
from tests.factories.congress import UnitFactory

pytestmark = pytest.mark.django_db

URL = reverse("console:audit_trail")


def renamed_units(count):
    units = UnitFactory.create_batch(count)
    for unit in units:
        unit.name = f"{unit.name}（更名）"
        unit.save()
        record_event(unit, actor=None, verb="renamed")
    return units


def test_an_auditor_reads_who_changed_what(client, login, auditor):
    unit = renamed_units(1)[0]
    audit_chain.seal_all(lag_seconds=0)
    login(client, auditor)

    page = client.get(URL, {"model": "congress.unit", "object": str(unit.pk)}).content.decode()

    assert "（更名）" in page and f"#{unit.pk}" in page
    assert "已封存" in page  # the chain heads are shown
    events = client.get(URL, {"stream": "events", "model": "congress.unit"}).content.decode()
    assert f"#{unit.pk}" in events


def test_filters_narrow_the_trail(client, login, auditor):
    first, second = renamed_units(2)
    login(client, auditor)

    page = client.get(URL, {"object": str(first.pk), "model": "congress.unit"}).context["page_obj"]

    assert {entry.object_pk for entry in page} == {str(first.pk)}
    assert str(second.pk) not in {entry.object_pk for entry in page}


@pytest.mark.parametrize("persona", ["staff_clerk", "leader", "unit_officer", "staff_admin"])
def test_only_auditors_and_system_administrators_read_it(client, login, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_the_page_costs_the_same_queries_for_many_rows(client, login, auditor, django_assert_max_num_queries):
    login(client, auditor)
    renamed_units(2)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    renamed_units(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
