"""Acceptance walkthrough of issue #4 ("Done when"), tried as a new user would with the demo data:
a deputy files a joint suggestion, the co-signers confirm, the office accepts and assigns it, the
unit records a contact and replies with class B and a commitment, the deputy rates the result
不满意, re-handling runs, the second reply is rated 满意 — every step on the timeline, every
deadline shown with its basis, every reminder sent once.

Everything is done through the real pages with Django's test client, each persona logged in on
their own client; services are called only to run the reminder sweeps at a later date (the
deadlines must pass without waiting for them).

The data is the small demo district with its deputies (`demo_deputies`, a few seconds: the demo
accounts 叶文彬 "deputy", 陈明华 "admin", 林晓燕 "clerk", 郑海涛 "unit" of the 卫健局). The full
suggestions demo is not built: it takes well over a minute and adds nothing this walk reads. On
top of it, the minimum a new congress has before its first suggestion: the default reply classes,
two demo deputies given accounts as co-signers, and an officer for the co-handling 教育局.
"""

import datetime
from collections import Counter

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from congress import calendar
from congress.models import Event, Notification
from congress.models.accounts import Role
from congress.rules import describe_basis
from congress.timeline import verb_label
from deputies.services import deputy_link_user
from suggestions import services
from suggestions.models import Assignment, Commitment, Proposal, Rating, Reply, ReplyClass, Signer
from suggestions.services import ContactRequired, reminders
from tests.factories.congress import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the signed reply\n"
TITLE = "关于在城东小学门口增设交通信号灯的建议"
# Every sweep the beat runs (suggestions.tasks), by kind.
SWEEPS = (
    "intake_due", "objection_closing", "co_opinion_due", "reply_due", "overdue", "rating_pending",
    "rehandling_due", "commitment_due",
)


def zh(text) -> str:
    """A msgid (or lazy string) as the pages print it, in the platform's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def basis(due_basis: dict) -> str:
    """A stored deadline's basis as the pages print it."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(describe_basis(due_basis))


def console_label(verb: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return escape(verb_label(verb, "suggestions"))


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def sweep_twice(today: datetime.date) -> None:
    """Every reminder sweep at `today`, and again: a re-run (or a second beat) sends nothing new."""
    for _run in range(2):
        for kind in SWEEPS:
            reminders.sweep(kind, today=today)


def reminders_sent() -> Counter:
    return Counter(Notification.objects.filter(kind__startswith="suggestions.reminder.")
                   .values_list("recipient__username", "kind"))


class People:
    def __init__(self, demo):
        self.demo = demo
        self.body = demo.body
        users = demo.users
        self.deputy_user, self.staff, self.clerk, self.officer = (
            users["deputy"], users["admin"], users["clerk"], users["unit"],
        )
        district = sorted(demo.district_deputies, key=lambda deputy: deputy.pk)
        self.deputy = next(deputy for deputy in district if deputy.user_id == self.deputy_user.pk)
        free = [d for d in district if d.user_id is None and d.is_serving and d.term_id == self.deputy.term_id]
        self.co_signers = free[:2]
        self.co_users = []
        for index, co_signer in enumerate(self.co_signers, start=1):
            user = UserFactory(username=f"co_signer_{index}", full_name=co_signer.name, must_change_password=False)
            deputy_link_user(actor=self.staff, deputy=co_signer, user=user)
            self.co_users.append(user)
        self.unit = demo.health_bureau
        self.co_unit = next(unit for unit in demo.units if unit.name == "同安区教育局")
        self.co_officer = user_with_role(Role.UNIT_OFFICER, username="education_officer", unit=self.co_unit)
        services.ensure_defaults(self.body)
        self.reply_classes = {reply_class.code: reply_class
                              for reply_class in ReplyClass.objects.filter(body=self.body)}
        self.commitment_due = timezone.localdate() + datetime.timedelta(days=120)
        self.clients = {}

    def client(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[user.pk] = client
        return self.clients[user.pk]


@pytest.fixture
def people(demo_deputies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return People(demo_deputies)


def portal(name, *args):
    return reverse(f"portal:suggestions:{name}", args=args)


def console(name, *args):
    return reverse(f"console:suggestions:{name}", args=args)


# ---- the walk, step by step ---------------------------------------------------------------------


def file_with_two_co_signers(people) -> Proposal:
    lead = people.client(people.deputy_user)
    form = html(lead.get(portal("file"), {"mandate": people.deputy.pk}))
    assert 'id="co-signer-q"' in form
    for co_signer in people.co_signers:  # found by name, as the deputy types
        found = lead.get(portal("cosigner_search"), {"mandate": people.deputy.pk, "q": co_signer.name},
                         headers={"HX-Request": "true"})
        assert f'value="{co_signer.pk}" id="co-signer-{co_signer.pk}"' in html(found)

    response = lead.post(portal("file"), {
        "mandate": people.deputy.pk, "kind": "suggestion", "session": "", "title": TITLE,
        "content": "城东小学门口上下学时段车流量大，学生过街危险，建议增设交通信号灯并施划斑马线。",
        "co_signers": [co_signer.pk for co_signer in people.co_signers],
    }, follow=True)

    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.state == Proposal.State.DRAFT and proposal.is_recess
    page = html(response)
    assert "已保存为草稿" in page  # the deputy's timeline
    assert page.count(zh("Not yet confirmed")) == 2
    return proposal


def co_signers_confirm(people, proposal) -> None:
    for user in people.co_users:
        client = people.client(user)
        waiting = client.get(portal("list"), {"tab": "to_sign"})
        assert [item.pk for item in waiting.context["page_obj"]] == [proposal.pk]
        assert zh("Co-sign") in html(client.get(portal("detail", proposal.pk)))

        page = html(client.post(portal("sign_confirm", proposal.pk), follow=True))

        assert "已确认联名" in page
    assert not Signer.objects.filter(proposal=proposal, confirmed_at__isnull=True).exists()


def deputy_submits(people, proposal) -> Proposal:
    page = html(people.client(people.deputy_user).post(portal("submit", proposal.pk), follow=True))

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED
    assert "已提交" in page
    # A recess suggestion is assigned within 7 working days of receipt.
    assert "交办期限" in page and basis(proposal.intake_due_basis) in page and "7个工作日" in page
    return proposal


def staff_accept(people, proposal) -> Proposal:
    office = people.client(people.staff)
    queue = office.get(console("intake"))
    assert proposal.pk in [item.pk for item in queue.context["page_obj"]]
    review = html(office.get(console("proposal_detail", proposal.pk)))
    assert basis(proposal.intake_due_basis) in review

    page = html(office.post(console("proposal_accept", proposal.pk), follow=True))

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED and proposal.number
    assert proposal.number in page and console_label("accepted") in page
    portal_page = html(people.client(people.deputy_user).get(portal("detail", proposal.pk)))
    assert f'<span id="proposal-number">{proposal.number}</span>' in portal_page
    assert "已受理并编号" in portal_page
    return proposal


def staff_assign(people, proposal) -> tuple[Assignment, Assignment]:
    office = people.client(people.staff)
    assert people.unit.name in html(office.get(console("proposal_assign", proposal.pk)))

    page = html(office.post(console("proposal_assign", proposal.pk), {
        "mode": "lead", "lead_unit": people.unit.pk, "co_units": [people.co_unit.pk],
    }, follow=True))

    lead = Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD)
    co = Assignment.objects.get(proposal=proposal, role=Assignment.Role.CO)
    assert (lead.unit, co.unit) == (people.unit, people.co_unit)
    assert console_label("assigned") in page
    # Each unit's deadlines, with the rule that produced them.
    for due_basis, words in (
        (lead.reply_due_basis, "3个月"), (lead.objection_due_basis, "7个工作日"), (lead.max_due_basis, "6个月"),
        (co.co_opinion_due_basis, "2个月"),
    ):
        assert basis(due_basis) in page and words in basis(due_basis)
    deputy_page = html(people.client(people.deputy_user).get(portal("detail", proposal.pk)))
    assert "已交承办单位办理" in deputy_page
    assert "答复期限" in deputy_page and basis(lead.reply_due_basis) in deputy_page
    assert "最迟办结期限" in deputy_page and basis(lead.max_due_basis) in deputy_page
    return lead, co


def co_handler_gives_its_opinion(people, co) -> None:
    client = people.client(people.co_officer)
    items = html(client.get(console("unit_items")))
    assert basis(co.co_opinion_due_basis) in items

    client.post(console("unit_co_opinion", co.pk), {"text": "建议同步改造学校门口人行道。"})

    co.refresh_from_db()
    assert co.state == Assignment.State.CLOSED


def unit_contacts_and_replies(people, lead) -> Reply:
    unit = people.client(people.officer)
    items = html(unit.get(console("unit_items")))
    assert basis(lead.reply_due_basis) in items
    item = html(unit.get(console("unit_item", lead.pk)))
    assert "建议同步改造学校门口人行道。" in item  # the co-handler's opinion reached the lead unit
    assert basis(lead.objection_due_basis) in item and basis(lead.reply_due_basis) in item

    unit.post(console("unit_accept", lead.pk))
    lead.refresh_from_db()
    assert lead.state == Assignment.State.HANDLING

    # Replying before any contact with the deputy is refused in Chinese, and nothing changes.
    events_before = Event.objects.count()
    refused = unit.post(console("unit_reply", lead.pk), {
        "text": "经研究，已列入年度计划。", "reply_class": people.reply_classes["B"].pk, "officer": "李科长",
        "commitment_1": "2027年上半年完成信号灯安装", "commitment_1_due": people.commitment_due.isoformat(),
    })
    assert escape(zh(ContactRequired.default_message)) in html(refused)
    assert "提交答复前，请先登记与代表的沟通情况。" in refused.content.decode()
    lead.refresh_from_db()
    assert lead.state == Assignment.State.HANDLING
    assert not Reply.objects.exists() and Event.objects.count() == events_before

    unit.post(console("unit_contact", lead.pk), {
        "kind": "site_visit", "contacted_on": timezone.localdate().isoformat(),
        "people": f"{people.deputy.name}、卫健局李科长", "content": "到校门口实地查看车流并听取代表意见。",
    })
    response = unit.post(console("unit_reply", lead.pk), {
        "text": "经研究，已列入年度计划，由交警部门配合实施。", "reply_class": people.reply_classes["B"].pk,
        "officer": "李科长", "document": SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"),
        "commitment_1": "2027年上半年完成信号灯安装", "commitment_1_due": people.commitment_due.isoformat(),
    })

    assert response.status_code == 302
    reply = Reply.objects.get(assignment=lead)
    assert reply.reply_class.code == "B" and reply.document
    assert list(reply.commitments.values_list("due_on", flat=True)) == [people.commitment_due]
    lead.refresh_from_db()
    assert lead.state == Assignment.State.REPLIED
    return reply


def deputy_reads_the_reply(people, proposal, lead, reply) -> None:
    lead_client = people.client(people.deputy_user)
    page = html(lead_client.get(portal("detail", proposal.pk)))
    assert "经研究，已列入年度计划，由交警部门配合实施。" in page
    assert "2027年上半年完成信号灯安装" in page
    for label in ("承办单位已接收", "协办单位已提交意见", "承办单位已与代表沟通", "已答复"):
        assert label in page
    assert "测评期限" in page and basis(lead.rating_due_basis) in page and "15个工作日" in page
    document_url = portal("reply_document", reply.pk)
    assert document_url in page
    download = lead_client.get(document_url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def deputy_rates(people, proposal, lead, *, result: str, reason: str = "") -> str:
    lead_client = people.client(people.deputy_user)
    assert zh("Submit my rating") in html(lead_client.get(portal("rate", proposal.pk, lead.pk)))

    response = lead_client.post(portal("rate", proposal.pk, lead.pk),
                                {"attitude": "satisfied", "result": result, "reason": reason}, follow=True)

    page = html(response)
    assert "已测评" in page
    return page


def staff_order_rehandling(people, proposal, lead) -> None:
    office = people.client(people.staff)
    decisions = html(office.get(console("rehandling")))
    assert proposal.number in decisions
    assert basis(lead.rehandling_order_due_basis) in decisions and "5个工作日" in decisions

    page = html(office.post(console("rehandling_order", lead.pk),
                            {"note": "请与交警部门会商，明确安装时间。"}, follow=True))

    lead.refresh_from_db()
    assert lead.state == Assignment.State.REHANDLING and lead.round == 2
    assert console_label("rehandling_ordered") in page
    assert basis(lead.reply_due_basis) in page and "1个月" in basis(lead.reply_due_basis)
    deputy_page = html(people.client(people.deputy_user).get(portal("detail", proposal.pk)))
    assert "已交办重新办理" in deputy_page and "请与交警部门会商，明确安装时间。" in deputy_page
    assert basis(lead.reply_due_basis) in deputy_page


def unit_replies_again(people, lead) -> None:
    unit = people.client(people.officer)
    assert basis(lead.reply_due_basis) in html(unit.get(console("unit_item", lead.pk)))
    unit.post(console("unit_contact", lead.pk), {
        "kind": "phone", "contacted_on": timezone.localdate().isoformat(),
        "people": f"{people.deputy.name}、卫健局李科长", "content": "电话告知与交警部门会商结果。",
    })

    response = unit.post(console("unit_reply", lead.pk), {
        "text": "已与交警部门会商，信号灯已完成安装并投入使用。", "reply_class": people.reply_classes["A"].pk,
        "officer": "李科长",
    })

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == Assignment.State.REPLIED and lead.replies.count() == 2
    deputy_page = html(people.client(people.deputy_user).get(portal("detail", lead.proposal_id)))
    assert "已与交警部门会商，信号灯已完成安装并投入使用。" in deputy_page
    assert basis(lead.rating_due_basis) in deputy_page  # a new rating window for round 2


# ---- the acceptance test -------------------------------------------------------------------------


def test_a_joint_suggestion_walks_from_filing_to_a_satisfied_second_reply(people):
    proposal = file_with_two_co_signers(people)
    co_signers_confirm(people, proposal)
    proposal = deputy_submits(people, proposal)
    sweep_twice(proposal.intake_due - datetime.timedelta(days=1))  # assignment due in a day
    proposal = staff_accept(people, proposal)
    lead, co = staff_assign(people, proposal)
    sweep_twice(lead.reply_due - datetime.timedelta(days=7))  # reply and co-handler's opinion due soon
    co_handler_gives_its_opinion(people, co)
    reply = unit_contacts_and_replies(people, lead)
    deputy_reads_the_reply(people, proposal, lead, reply)
    sweep_twice(calendar.add_working_days(lead.replied_on, 6))  # no rating yet

    page = deputy_rates(people, proposal, lead, result="unsatisfied", reason="信号灯安装时间过晚，学生过街仍不安全。")
    assert "不满意" in page and zh("Unsatisfied") == "不满意"
    lead.refresh_from_db()
    assert lead.state == Assignment.State.EVALUATED
    unit_page = html(people.client(people.officer).get(console("unit_item", lead.pk)))
    assert "信号灯安装时间过晚，学生过街仍不安全。" in unit_page  # shown to the unit once submitted
    assert basis(lead.rating_due_basis) in unit_page
    sweep_twice(lead.rehandling_order_due - datetime.timedelta(days=1))  # the office's decision is due

    staff_order_rehandling(people, proposal, lead)
    unit_replies_again(people, lead)
    deputy_rates(people, proposal, lead, result="satisfied")
    sweep_twice(people.commitment_due - datetime.timedelta(days=3))  # round 1's commitment falls due

    lead.refresh_from_db()
    assert lead.state == Assignment.State.EVALUATED and lead.rehandling_order_due is None
    assert list(Rating.objects.filter(assignment=lead).order_by("round").values_list("round", "result", "via")) == [
        (1, "unsatisfied", "portal"), (2, "satisfied", "portal"),
    ]
    timeline = html(people.client(people.staff).get(console("proposal_detail", proposal.pk)))
    for verb in ("filed", "signature_confirmed", "submitted", "accepted", "assigned", "co_opinion_submitted",
                 "accepted_by_unit", "contact_recorded", "replied", "rated", "rehandling_ordered"):
        assert console_label(verb) in timeline, verb

    # Every signer received both replies; the co-signers' copies open the proposal's page.
    for user in (people.deputy_user, *people.co_users):
        assert Notification.objects.filter(recipient=user, kind="suggestions.replied").count() == 2
    for user in people.co_users:
        assert set(Notification.objects.filter(recipient=user, kind="suggestions.replied")
                   .values_list("url", flat=True)) == {portal("detail", proposal.pk)}

    # Each reminder went out once, to the people who act on it, though every sweep ran twice.
    assert reminders_sent() == Counter({
        ("admin", "suggestions.reminder.intake_due"): 1,
        ("clerk", "suggestions.reminder.intake_due"): 1,
        ("unit", "suggestions.reminder.reply_due"): 1,
        ("education_officer", "suggestions.reminder.co_opinion_due"): 1,
        ("deputy", "suggestions.reminder.rating_pending"): 1,
        ("admin", "suggestions.reminder.rehandling_due"): 1,
        ("clerk", "suggestions.reminder.rehandling_due"): 1,
        ("unit", "suggestions.reminder.commitment_due"): 1,
    })
    # The commitment reminder was due: the unit has not reported the round-1 commitment fulfilled.
    assert Commitment.objects.get(reply__assignment=lead).fulfilled_at is None
