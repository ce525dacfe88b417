"""The outstanding-deputy selection: pool, quota, nominations by town, review, decision, publication."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Event, Notification
from congress.rules import rules_for
from congress.workflow import IllegalTransition, StaleState, TransitionForbidden
from deputies import services
from deputies.models import Deputy, Nomination, Selection
from deputies.selectors_selection import eligible_pool, nominable_deputies, published_selections, quota_for
from tests.factories.deputies import DeputyFactory

State = Selection.State


@pytest.fixture
def pool(district_body, constituency_a, constituency_b):
    """Ten serving district deputies (six from town A, four from town B), plus two who cannot be selected."""
    town_a = [DeputyFactory(body=district_body, constituency=constituency_a) for _ in range(6)]
    town_b = [DeputyFactory(body=district_body, constituency=constituency_b) for _ in range(4)]
    leader = DeputyFactory(body=district_body, constituency=constituency_a, is_district_leader=True, name="区领导")
    resigned = DeputyFactory(body=district_body, constituency=constituency_b, status=Deputy.Status.RESIGNED)
    return {"a": town_a, "b": town_b, "leader": leader, "resigned": resigned}


@pytest.fixture
def selection(staff_admin, district_body, pool):
    selection = services.selection_create(actor=staff_admin, body=district_body, year=2026)
    return services.selection_open_nominations(actor=staff_admin, selection=selection)


def _verbs(selection):
    return list(Event.objects.for_object(selection).order_by("pk").values_list("verb", flat=True))


def test_the_pool_excludes_district_leaders_and_ended_mandates(district_body, pool):
    assert set(eligible_pool(district_body)) == set(pool["a"] + pool["b"])


def test_quota_is_the_rule_percentage_of_the_pool_rounded_down():
    assert quota_for(223, 20) == 44
    assert quota_for(10, 20) == 2
    assert quota_for(4, 20) == 0


def test_opening_nominations_fixes_pool_and_quota_from_the_body_rule(staff_admin, district_body, pool):
    rules = rules_for(district_body)
    rules.outstanding_quota_percent = 30
    rules.save()
    selection = services.selection_create(actor=staff_admin, body=district_body, year=2026)

    services.selection_open_nominations(actor=staff_admin, selection=selection)

    selection.refresh_from_db()
    assert (selection.state, selection.pool_size, selection.quota_percent, selection.quota) == (
        State.NOMINATING, 10, 30, 3,
    )
    # The rule changing later does not move the quota already fixed.
    rules.outstanding_quota_percent = 50
    rules.save()
    selection.refresh_from_db()
    assert selection.quota == 3
    assert _verbs(selection) == ["created", "nominations_opened"]


def test_one_selection_per_congress_and_year(staff_admin, district_body, selection):
    with pytest.raises(ValidationError):
        services.selection_create(actor=staff_admin, body=district_body, year=2026)


def test_township_officer_nominates_deputies_elected_in_their_own_town(township_officer_a, selection, pool):
    nomination = services.nomination_create(
        actor=township_officer_a, selection=selection, deputy=pool["a"][0], reason="履职积极，联系群众紧密"
    )
    assert nomination.town.name == "大同街道"
    assert nomination.nominated_by == township_officer_a
    with pytest.raises(PermissionDenied):
        services.nomination_create(actor=township_officer_a, selection=selection, deputy=pool["b"][0], reason="好")
    assert Nomination.objects.count() == 1
    assert _verbs(selection)[-1] == "nominated"


def test_nominable_deputies_of_an_officer_are_their_towns_pool(township_officer_a, selection, pool):
    assert set(nominable_deputies(township_officer_a, selection)) == set(pool["a"])


def test_leaders_and_ended_mandates_cannot_be_nominated(staff_admin, selection, pool):
    for deputy in (pool["leader"], pool["resigned"]):
        with pytest.raises(ValidationError):
            services.nomination_create(actor=staff_admin, selection=selection, deputy=deputy, reason="优秀")
    assert not Nomination.objects.exists()


def test_a_deputy_of_another_congress_cannot_be_nominated(staff_admin, selection, township_body_a):
    outsider = DeputyFactory(body=township_body_a)
    with pytest.raises(ValidationError):
        services.nomination_create(actor=staff_admin, selection=selection, deputy=outsider, reason="优秀")


def test_a_nomination_needs_a_reason_and_is_made_once(staff_admin, selection, pool):
    with pytest.raises(ValidationError):
        services.nomination_create(actor=staff_admin, selection=selection, deputy=pool["a"][0], reason="  ")
    services.nomination_create(actor=staff_admin, selection=selection, deputy=pool["a"][0], reason="优秀")
    with pytest.raises(ValidationError):
        services.nomination_create(actor=staff_admin, selection=selection, deputy=pool["a"][0], reason="再次")


def test_nominations_only_while_nominating(staff_admin, district_body, pool):
    selection = services.selection_create(actor=staff_admin, body=district_body, year=2026)
    with pytest.raises(IllegalTransition):
        services.nomination_create(actor=staff_admin, selection=selection, deputy=pool["a"][0], reason="优秀")


def _nominate_all(actor, selection, deputies):
    return [
        services.nomination_create(actor=actor, selection=selection, deputy=deputy, reason=f"推荐{deputy.name}")
        for deputy in deputies
    ]


def test_towns_may_nominate_more_than_the_quota_but_the_decision_may_not_exceed_it(staff_admin, selection, pool):
    nominations = _nominate_all(staff_admin, selection, pool["a"][:4])  # quota is 2 (20 % of 10)
    services.selection_close_nominations(actor=staff_admin, selection=selection)

    with pytest.raises(ValidationError):
        services.selection_decide(actor=staff_admin, selection=selection, selected=nominations[:3])
    selection.refresh_from_db()
    assert selection.state == State.REVIEWING

    services.selection_decide(actor=staff_admin, selection=selection, selected=nominations[:2], note="主任会议决定")
    selection.refresh_from_db()
    assert selection.state == State.DECIDED
    outcomes = dict(Nomination.objects.values_list("pk", "outcome"))
    assert [outcomes[n.pk] for n in nominations] == ["selected", "selected", "not_selected", "not_selected"]


def test_the_decision_refuses_a_deputy_no_longer_eligible(staff_admin, selection, pool):
    nominations = _nominate_all(staff_admin, selection, pool["a"][:2])
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    Deputy.objects.filter(pk=pool["a"][0].pk).update(is_district_leader=True)  # promoted meanwhile

    with pytest.raises(ValidationError):
        services.selection_decide(actor=staff_admin, selection=selection, selected=nominations)


def test_the_decision_picks_only_this_selections_nominations(staff_admin, selection, pool):
    _nominate_all(staff_admin, selection, pool["a"][:1])
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    with pytest.raises(ValidationError):
        services.selection_decide(actor=staff_admin, selection=selection, selected=[999999])


def test_review_records_an_opinion_and_not_recommended_needs_a_note(staff_admin, selection, pool):
    [nomination] = _nominate_all(staff_admin, selection, pool["b"][:1])
    with pytest.raises(IllegalTransition):  # not yet under review
        services.nomination_review(actor=staff_admin, nomination=nomination, review="recommended")
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    with pytest.raises(ValidationError):
        services.nomination_review(actor=staff_admin, nomination=nomination, review="not_recommended")
    services.nomination_review(actor=staff_admin, nomination=nomination, review="not_recommended", note="材料不全")
    nomination.refresh_from_db()
    assert (nomination.review, nomination.review_note) == ("not_recommended", "材料不全")


def test_township_officer_cannot_run_the_district_selection(township_officer_a, staff_admin, selection, pool):
    _nominate_all(township_officer_a, selection, pool["a"][:1])
    with pytest.raises(TransitionForbidden):
        services.selection_close_nominations(actor=township_officer_a, selection=selection)


def test_every_step_is_an_event_and_publication_tells_the_selected(staff_admin, selection, pool, deputy_user):
    chosen = DeputyFactory(body=selection.body, user=deputy_user, constituency=pool["a"][0].constituency)
    nominations = _nominate_all(staff_admin, selection, [chosen, pool["b"][0]])
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    services.selection_reopen_nominations(actor=staff_admin, selection=selection, note="请补充材料")
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    services.selection_decide(actor=staff_admin, selection=selection, selected=[nominations[0]])
    services.selection_publish(actor=staff_admin, selection=selection)

    selection.refresh_from_db()
    assert selection.state == State.PUBLISHED and selection.published_at is not None
    assert _verbs(selection) == [
        "created", "nominations_opened", "nominated", "nominated", "nominations_closed", "nominations_reopened",
        "nominations_closed", "decided", "published",
    ]
    assert Notification.objects.filter(recipient=deputy_user, kind="deputies.selected_outstanding").count() == 1
    [published] = published_selections()
    assert [nomination.deputy for nomination in published.selected] == [chosen]


def test_publishing_twice_is_refused(staff_admin, selection, pool):
    nominations = _nominate_all(staff_admin, selection, pool["a"][:1])
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    services.selection_decide(actor=staff_admin, selection=selection, selected=nominations)
    services.selection_publish(actor=staff_admin, selection=selection)
    with pytest.raises(StaleState):
        services.selection_publish(actor=staff_admin, selection=selection)
