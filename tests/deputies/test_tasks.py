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
