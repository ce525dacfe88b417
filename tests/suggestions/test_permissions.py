"""Who sees which proposals: scope by role, drafts private, confidential ones never public."""

import pytest

from suggestions import permissions, selectors
from suggestions.models import Proposal
from tests.factories.deputies import ConstituencyFactory, DeputyFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(permissions.visible_proposals(user).values_list("pk", flat=True))


def test_drafts_are_seen_by_their_signers_only(flow, co_deputy_user, staff_admin, unit_officer):
    draft = flow.filed()
    assert draft.pk in visible(flow.deputy_user)
    assert draft.pk in visible(co_deputy_user)
    assert draft.pk not in visible(staff_admin)
    assert draft.pk not in visible(unit_officer)


def test_deputies_see_their_own_and_co_signed_proposals_only(flow, co_deputy_user, district_body, term):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    outsider = user_with_role(Role.DEPUTY, username="outsider", body=district_body)
    DeputyFactory(body=district_body, term=term, user=outsider)
    proposal = flow.submitted()
    assert proposal.pk in visible(flow.deputy_user) and proposal.pk in visible(co_deputy_user)
    assert proposal.pk not in visible(outsider)


def test_unit_officers_see_only_what_was_assigned_to_their_unit(flow, education_officer):
    assignment = flow.assigned()
    other = flow.accepted()
    assert visible(flow.unit_officer) == {assignment.proposal_id}
    assert visible(education_officer) == set()
    assert other.pk not in visible(flow.unit_officer)


def test_township_officers_read_the_proposals_of_their_towns_deputies(
    flow, district_body, term, town_a, township_officer_a, township_officer_b
):
    constituency = ConstituencyFactory(body=district_body, number=1, region=town_a)
    flow.deputy.constituency = constituency
    flow.deputy.save(update_fields=["constituency"])
    proposal = flow.submitted()

    assert proposal.pk in visible(township_officer_a)
    assert proposal.pk not in visible(township_officer_b)


def test_staff_leaders_members_and_auditors_read_in_their_scope(flow, staff_admin, leader, member, auditor,
                                                                station_keeper):
    proposal = flow.submitted()
    for user in (staff_admin, leader, member, auditor):
        assert proposal.pk in visible(user)
    assert proposal.pk not in visible(station_keeper)


def test_confidential_proposals_never_reach_the_public_list(flow):
    public = flow.replied()
    secret = flow.replied(is_confidential=True)
    listed = set(selectors.public_replied_proposals().values_list("pk", flat=True))
    assert public.proposal_id in listed and secret.proposal_id not in listed


def test_unreplied_proposals_are_not_public(flow):
    assignment = flow.assigned()
    assert not Proposal.objects.public().filter(pk=assignment.proposal_id).exists()


def test_proposal_list_query_count_does_not_grow(flow, staff_admin, django_assert_max_num_queries):
    for _ in range(3):
        flow.submitted()
    with django_assert_max_num_queries(3):
        rows = list(selectors.proposal_list(staff_admin))
        [(row.lead_deputy.name, row.body.name, row.category) for row in rows]
    assert len(rows) == 3


def test_predicates_match_roles(flow, staff_admin, unit_officer, education_officer, leader):
    assignment = flow.assigned()
    proposal = assignment.proposal
    assert permissions.can_review(staff_admin, proposal) and not permissions.can_review(leader, proposal)
    assert permissions.can_act_for_unit(unit_officer, assignment)
    assert not permissions.can_act_for_unit(education_officer, assignment)
    assert permissions.can_rate(flow.deputy_user, assignment) and not permissions.can_rate(staff_admin, assignment)
    assert permissions.can_designate_key(leader, proposal) and not permissions.can_designate_key(unit_officer, proposal)
