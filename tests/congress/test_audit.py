"""The audit trail: model changes become log entries with their actor, and nobody can rewrite one.

Event rows (the workflow timeline) and django-auditlog's log entries are append-only: the ORM
refuses to change or delete an event, and the admin offers neither change nor delete for either
(SECURITY S20, S21). The admin itself admits superusers only.
"""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from congress.models import Event, Unit
from congress.models.events import ImmutableRowError
from congress.workflow import record_event
from tests.factories.congress import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def event(health_bureau, staff_admin):
    return record_event(health_bureau, actor=staff_admin, verb="updated", note="renamed")


def _entries_for(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).order_by("timestamp", "pk")


# ---- model changes are audited with their actor ---------------------------------------------


def test_a_change_to_a_unit_is_logged_with_its_actor_and_the_changed_field(health_bureau, staff_admin):
    with set_actor(staff_admin, remote_addr="10.0.0.8"):
        health_bureau.short_name = "卫健"
        health_bureau.save()

    entry = _entries_for(health_bureau).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == staff_admin
    assert entry.remote_addr == "10.0.0.8"
    assert entry.changes_dict["short_name"] == ["卫健局", "卫健"]


def test_a_change_made_through_a_request_is_logged_with_the_logged_in_user(client, login, superuser, health_bureau):
    login(client, superuser)

    response = client.post(
        reverse("admin:congress_unit_change", args=[health_bureau.pk]),
        {
            "name": health_bureau.name,
            "short_name": "区卫健局",
            "kind": health_bureau.kind,
            "region": health_bureau.region_id,
            "parent": "",
            "is_active": "on",
        },
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _entries_for(health_bureau).last()
    assert entry.actor == superuser
    assert entry.remote_addr == "10.0.0.9"
    assert entry.changes_dict["short_name"] == ["卫健局", "区卫健局"]


def test_creating_and_deleting_a_unit_is_logged(district, staff_admin):
    with set_actor(staff_admin):
        unit = Unit.objects.create(region=district, name="同安区教育局", kind=Unit.Kind.DEPARTMENT)
        pk = unit.pk
        unit.delete()

    actions = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Unit), object_pk=str(pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]


def test_the_users_phone_never_reaches_the_audit_log_in_clear(staff_admin):
    with set_actor(staff_admin):
        staff_admin.phone = "13812345678"
        staff_admin.save()

    entry = _entries_for(staff_admin).last()
    assert "13812345678" not in str(entry.changes)
    assert "password" not in entry.changes_dict


# ---- event rows are append-only -------------------------------------------------------------


def test_an_event_row_cannot_be_edited(event):
    event.note = "rewritten"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        Event.objects.filter(pk=event.pk).update(note="rewritten")
    assert Event.objects.get(pk=event.pk).note == "renamed"


def test_an_event_row_cannot_be_deleted(event):
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.filter(pk=event.pk).exists()


# ---- the admin ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Event, LogEntry])
def test_the_admin_grants_nobody_add_change_or_delete_on_the_audit_trail(rf: RequestFactory, superuser, model):
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_superuser_can_read_but_not_change_or_delete_an_event_in_the_admin(client, login, superuser, event):
    login(client, superuser)
    change_url = reverse("admin:congress_event_change", args=[event.pk])

    assert client.get(reverse("admin:congress_event_changelist")).status_code == 200
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"verb": "forged", "note": "forged"}).status_code == 403
    assert client.post(reverse("admin:congress_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:congress_event_add")).status_code == 403
    bulk = client.post(
        reverse("admin:congress_event_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    event = Event.objects.get(pk=event.pk)
    assert (event.verb, event.note) == ("updated", "renamed")


def test_a_superuser_can_read_but_not_change_or_delete_a_log_entry_in_the_admin(
    client, login, superuser, health_bureau, staff_admin
):
    with set_actor(staff_admin):
        health_bureau.short_name = "卫健"
        health_bureau.save()
    entry = _entries_for(health_bureau).last()
    login(client, superuser)

    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {}).status_code == 403
    delete = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_admits_superusers_only(client, login, staff_admin, event):
    staff_admin.is_staff = True  # the staff flag plays no part: admin is for superusers' data repair
    staff_admin.save(update_fields=["is_staff"])
    login(client, staff_admin)

    response = client.get(reverse("admin:congress_event_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_every_admin_list_opens_for_a_superuser(client, login, superuser, event, health_bureau, staff_admin):
    login(client, superuser)

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == (200 if model_admin.has_add_permission(changelist.wsgi_request) else 403), opts.label
