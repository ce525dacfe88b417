"""A citizen answers a work-evaluation questionnaire from a single-use link on a phone; the link
then no longer opens the form."""



from supervision import services
from supervision.models import QuestionnaireAnswer, TopicKind
from tests.e2e.support import PHONE, _zh
from tests.supervision.conftest import plan  # noqa: F401 -- the supervision fixtures


def test_a_citizen_answers_the_questionnaire_once_on_a_phone(open_page, live_server, plan, staff_clerk,  # noqa: F811
                                                              health_bureau):
    topic = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.WORK_EVALUATION, title="评议卫健局")
    evaluation = services.evaluation_create(actor=staff_clerk, topic=topic, unit=health_bureau, year=2027)
    [token] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=1)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/supervision/q/{token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    for fieldset in page.locator("#questionnaire-form fieldset").all():
        fieldset.get_by_label(_zh("Satisfied"), exact=True).check()
    page.get_by_role("button", name=_zh("Send my answers")).click()
    page.wait_for_load_state()

    assert page.locator("#questionnaire-done").is_visible()
    assert QuestionnaireAnswer.objects.get().ratings == dict.fromkeys(evaluation.dimensions, "satisfied")
    page.goto(f"{live_server.url}/supervision/q/{token}/")
    assert page.locator("#questionnaire-error").is_visible() and page.locator("#questionnaire-form").count() == 0
    # The spent link answers 410 Gone on purpose; nothing else may fail.
    assert page.problems == [f"410: {live_server.url}/supervision/q/{token}/"]
