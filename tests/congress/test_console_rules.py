"""Per-body rules in the console: read by everyone in the console, edited by staff admins."""

from django.urls import reverse

from congress.forms import RULE_FIELDS
from congress.models import BodyRules, Event


def _rules_data(**changes):
    data = {name: BodyRules._meta.get_field(name).default for name in RULE_FIELDS}
    data.update(changes)
    return data


def test_the_rules_list_shows_every_visible_body(client, login, staff_clerk, district_body, township_body_a):
    BodyRules.objects.create(body=district_body, reply_months=2)
    login(client, staff_clerk)

    response = client.get(reverse("console:rules"))

    assert list(response.context["page_obj"].object_list) == [district_body, township_body_a]
    assert reverse("console:rules_edit", args=[district_body.pk]).encode() not in response.content


def test_staff_admin_changes_a_rule_and_the_change_is_recorded(client, login, staff_admin, district_body):
    login(client, staff_admin)

    response = client.post(reverse("console:rules_edit", args=[district_body.pk]), _rules_data(reply_months=2))

    assert response.status_code == 302
    rules = BodyRules.objects.get(body=district_body)
    assert rules.reply_months == 2
    assert Event.objects.for_object(rules).get().data == {"changed": ["reply_months"]}


def test_an_extension_shorter_than_the_reply_limit_is_refused(client, login, staff_admin, district_body):
    login(client, staff_admin)

    response = client.post(
        reverse("console:rules_edit", args=[district_body.pk]), _rules_data(reply_months=6, extension_max_months=3)
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert BodyRules.objects.get(body=district_body).reply_months == 3


def test_clerk_cannot_edit_rules(client, login, staff_clerk, district_body):
    login(client, staff_clerk)

    response = client.post(reverse("console:rules_edit", args=[district_body.pk]), _rules_data(reply_months=1))

    assert response.status_code == 403
    assert not BodyRules.objects.filter(body=district_body, reply_months=1).exists()


def test_rules_of_another_township_are_out_of_reach(client, login, township_body_a, township_body_b, town_a):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    township_admin = user_with_role(Role.STAFF_ADMIN, username="town_a_admin", body=township_body_a)
    login(client, township_admin)

    assert client.get(reverse("console:rules_edit", args=[township_body_b.pk])).status_code == 404


def test_staff_admin_sets_the_yearly_minimum_of_contacts_per_committee_member_pair(
    client, login, staff_admin, district_body
):
    login(client, staff_admin)

    page = client.get(reverse("console:rules_edit", args=[district_body.pk]))
    response = client.post(
        reverse("console:rules_edit", args=[district_body.pk]), _rules_data(contact_pair_yearly_minimum=4)
    )

    assert 'name="contact_pair_yearly_minimum"' in page.content.decode()
    assert response.status_code == 302
    assert BodyRules.objects.get(body=district_body).contact_pair_yearly_minimum == 4
