"""At a face-to-face session a deputy scans the projected QR code: the phone opens the session's
page, asks for the login, then shows only the deputy's own item, and the rating goes in with
via=session."""


from django.utils import timezone

from tests.e2e.support import PHONE, _zh
from tests.e2e.test_suggestions_browser import media_root, replied_assignment, submit_rating  # noqa: F401
from tests.factories.congress import DEFAULT_PASSWORD


def test_deputy_rates_at_a_session_from_the_qr_url(
    open_page, live_server, deputy_user, deputy, staff_admin, district_body, health_bureau,  # noqa: F811
    replied_assignment,  # noqa: F811
):
    from suggestions.models import Assignment, Rating
    from suggestions.services import sessions

    session = sessions.session_create(
        actor=staff_admin, body=district_body, title="面对面督办测评会", starts_at=timezone.now(), place="第一会议室",
        units=[health_bureau], deputies=[deputy],
    )
    sessions.agenda_add(actor=staff_admin, session=session, proposal=replied_assignment.proposal)
    sessions.session_open(actor=staff_admin, session=session)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)

    page.goto(f"{live_server.url}/portal/suggestions/sessions/{session.pk}/")
    page.get_by_label(_zh("Username")).fill("deputy")
    page.get_by_label(_zh("Password")).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=_zh("Log in")).click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/portal/suggestions/sessions/{session.pk}/"
    assert page.get_by_role("heading", name="面对面督办测评会").is_visible()
    page.get_by_role("link", name=_zh("Rate this reply")).click()
    page.wait_for_load_state()
    submit_rating(page, attitude="Satisfied", result="Basically satisfied")

    assert page.url == f"{live_server.url}/portal/suggestions/sessions/{session.pk}/"
    rating = Rating.objects.get()
    assert (rating.attitude, rating.result, rating.via, rating.rater_id) == (
        "satisfied", "basically_satisfied", "session", deputy_user.pk,
    )
    assert Assignment.objects.get(pk=replied_assignment.pk).state == Assignment.State.EVALUATED
    assert page.get_by_role("link", name=_zh("Rate this reply")).count() == 0
    assert page.problems == []
