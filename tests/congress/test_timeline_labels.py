"""Every timeline verb reads as a translated label, whichever app wrote it (congress.timeline)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from congress import timeline
from congress.models import Event
from supervision import services
from supervision.models import WorkEvaluation

VERB = re.compile(r'verb="([a-z_]+)"')


# congress writes its events from two modules rather than a services package.
_CONGRESS_WRITERS = ("services.py", "two_factor.py")


def _verbs_written_by(app: str) -> set[str]:
    root = Path(settings.BASE_DIR) / app
    paths = [root / name for name in _CONGRESS_WRITERS] if app == "congress" else (root / "services").rglob("*.py")
    return {verb for path in paths for verb in VERB.findall(path.read_text())}


@pytest.mark.parametrize("app", ["supervision", "contact_stations", "suggestions", "deputies", "congress"])
def test_every_verb_an_app_writes_has_a_label(app):
    written = _verbs_written_by(app)
    assert written, app
    assert written - set(timeline.labels_of(app)) == set()


def test_every_evaluation_phase_verb_has_a_label():
    labels = timeline.labels_of("supervision")
    assert all(f"phase_{phase}" in labels for phase in WorkEvaluation.Phase.values)


def test_a_verb_reads_as_its_chinese_label_in_its_own_app():
    with translation.override("zh-hans"):
        assert timeline.verb_label("routed", "supervision") == "已转交承办单位"
        assert timeline.verb_label("passed_to_unit", "contact_stations") == "已转交承办单位"


def test_an_unregistered_verb_reads_as_words_rather_than_failing():
    assert timeline.verb_label("something_new", "supervision") == "something new"


def test_suggestions_console_labels_still_come_from_the_suggestions_table():
    from suggestions.templatetags.suggestions_console import event_label

    with translation.override("en"):
        assert event_label("rehandling_ordered") == "Re-handling ordered"


def test_the_topic_timeline_shows_labels_not_verb_codes(client, login, settings, staff_clerk, plan, committee,
                                                       health_bureau):
    settings.LANGUAGE_CODE = "en"
    topic = services.topic_create(actor=staff_clerk, plan=plan, kind="work_report", title="关于教育工作的报告",
                                  lead_committee=committee, supervised_units=[health_bureau])
    assert Event.objects.for_object(topic).filter(verb="created").exists()
    login(client, staff_clerk)
    response = client.get(reverse("console:supervision:topic_detail", args=[topic.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    timeline_html = response.content.decode().split('id="timeline"', 1)[1]
    assert "Created" in timeline_html and "· created" not in timeline_html


@pytest.fixture
def plan(district_body):
    from tests.factories.supervision import AnnualPlanFactory

    return AnnualPlanFactory(body=district_body, year=2027)


def test_the_deputy_page_timeline_shows_labels_not_verb_codes(client, login, settings, staff_admin, deputy):
    from deputies import services as deputy_services

    settings.LANGUAGE_CODE = "zh-hans"
    deputy_services.deputy_update(actor=staff_admin, deputy=deputy, occupation="教师")
    assert Event.objects.for_object(deputy).filter(verb="updated").exists()
    login(client, staff_admin)
    response = client.get(reverse("console:deputies:deputy_detail", args=[deputy.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "· 已更新" in page
    assert "· updated" not in page


def test_congress_account_verbs_read_in_chinese():
    with translation.override("zh-hans"):
        assert timeline.verb_label("password_changed", "congress") == "已修改密码"
        assert timeline.verb_label("second_factor_reset", "congress") == "已重置第二重验证"
        assert timeline.verb_label("nominations_opened", "deputies") == "推荐已开始"


def test_the_selection_timeline_shows_labels_not_verb_codes(client, login, settings, staff_admin, district_body):
    from deputies import services as deputy_services
    from tests.factories.deputies import DeputyFactory

    settings.LANGUAGE_CODE = "zh-hans"
    DeputyFactory.create_batch(8, body=district_body)
    selection = deputy_services.selection_create(actor=staff_admin, body=district_body, year=2026)
    deputy_services.selection_open_nominations(actor=staff_admin, selection=selection)
    login(client, staff_admin)
    page = client.get(reverse("console:deputies:selection_detail", args=[selection.pk])).content.decode()
    assert str(timeline.verb_label("nominations_opened", "deputies")) in page
    assert "nominations_opened" not in page
