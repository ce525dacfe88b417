import datetime

from congress.models import Notification
from deputies import services, tasks
from deputies.models import ContactLog
from tests.factories.congress import UserFactory
from tests.factories.deputies import ContactPairFactory, DeputyFactory

KIND = "deputies.contact_pair_below_minimum"


def _pair(body, year=2026):
    member = DeputyFactory(body=body, is_standing_committee_member=True, user=UserFactory())
    return ContactPairFactory(body=body, year=year, member=member, deputy=DeputyFactory(body=body, user=UserFactory()))


def test_pairs_below_the_yearly_minimum_are_reminded_once_a_month(district_body):
    behind = _pair(district_body)
    done = _pair(district_body)
    for day in (1, 2):
        ContactLog.objects.create(
            pair=done, date=datetime.date(2026, 3, day), channel="phone", content="联系", logged_side="member"
        )
    assert services.contact_pairs_remind_below_minimum(year=2026, month=6) == 1
    assert services.contact_pairs_remind_below_minimum(year=2026, month=6) == 0
    reminded = set(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True))
    assert reminded == {behind.member.user_id, behind.deputy.user_id}
    assert services.contact_pairs_remind_below_minimum(year=2026, month=7) == 1


def test_the_monthly_task_sweeps_the_current_year(district_body):
    from django.utils import timezone

    _pair(district_body, year=timezone.localdate().year)
    assert tasks.remind_contact_pairs_below_minimum.delay().get() == 1
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_the_sweep_applies_each_bodys_own_minimum_in_a_bounded_number_of_queries(
    district_body, township_body_a, django_assert_max_num_queries
):
    from congress.models import BodyRules

    BodyRules.objects.create(body=district_body, contact_pair_yearly_minimum=1)
    BodyRules.objects.create(body=township_body_a, contact_pair_yearly_minimum=3)
    district_pair = _pair(district_body)
    township_pairs = [_pair(township_body_a) for _ in range(3)]
    for pair in (district_pair, *township_pairs):
        ContactLog.objects.create(
            pair=pair, date=datetime.date(2026, 3, 1), channel="phone", content="联系", logged_side="member"
        )

    with django_assert_max_num_queries(1 + 6 * len(township_pairs)):
        assert services.contact_pairs_remind_below_minimum(year=2026, month=6) == 3

    notified = Notification.objects.filter(kind=KIND)
    assert set(notified.values_list("recipient", flat=True)) == {
        user_id for pair in township_pairs for user_id in (pair.member.user_id, pair.deputy.user_id)
    }
    assert all(title.endswith("今年已联系 1 次，要求 3 次") for title in notified.values_list("title", flat=True))
