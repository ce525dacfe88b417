"""A suggestion's people: the lead deputy (the `deputy` persona), a co-signing deputy, the
卫健局 (the `unit_officer` persona's unit) and the 教育局 as a second unit, and a `flow` helper that
walks a proposal through the real services to the state a test starts from."""

import datetime

import pytest

from congress.models.accounts import Role
from suggestions import services
from suggestions.models import Assignment, ReplyClass, ReturnReason
from tests.factories.congress import SessionFactory, UnitFactory, user_with_role
from tests.factories.deputies import DeputyFactory


@pytest.fixture
def term(district_body):
    return district_body.terms.get(is_current=True)


@pytest.fixture
def session_1(term):
    return SessionFactory(term=term, number=1, starts_on=datetime.date(2026, 1, 10))


@pytest.fixture
def co_deputy_user(district_body):
    return user_with_role(Role.DEPUTY, username="co_deputy", body=district_body)


@pytest.fixture
def co_deputy(co_deputy_user, district_body, term):
    return DeputyFactory(body=district_body, term=term, user=co_deputy_user, name="郑代表")


@pytest.fixture
def education_bureau(district):
    return UnitFactory(region=district, name="同安区教育局", short_name="教育局")


@pytest.fixture
def education_officer(education_bureau):
    return user_with_role(Role.UNIT_OFFICER, username="education_officer", unit=education_bureau)


@pytest.fixture
def reply_classes(district_body):
    services.ensure_defaults(district_body)
    return {reply_class.code: reply_class for reply_class in ReplyClass.objects.filter(body=district_body)}


@pytest.fixture
def return_reasons(district_body):
    services.ensure_defaults(district_body)
    return {reason.code: reason for reason in ReturnReason.objects.filter(body=district_body)}


class Flow:
    """Walks a proposal through the services as the named personas."""

    def __init__(self, *, deputy_user, deputy, co_deputy, staff, unit_officer, unit, reply_classes, session):
        self.deputy_user, self.deputy, self.co_deputy = deputy_user, deputy, co_deputy
        self.staff, self.unit_officer, self.unit = staff, unit_officer, unit
        self.reply_classes, self.session = reply_classes, session

    def filed(self, *, kind="suggestion", recess=False, co_signers=None, **fields):
        fields.setdefault("title", "关于增设学校周边交通信号灯的建议")
        fields.setdefault("content", "学校门口车流量大，建议增设信号灯。")
        return services.proposal_file(
            actor=self.deputy_user, lead_deputy=self.deputy, kind=kind,
            session=None if recess else self.session,
            co_signers=[self.co_deputy] if co_signers is None else co_signers, **fields,
        )

    def submitted(self, received_on=None, **kwargs):
        proposal = self.filed(**kwargs)
        return services.proposal_submit(actor=self.deputy_user, proposal=proposal, received_on=received_on)

    def accepted(self, **kwargs):
        return services.proposal_accept(actor=self.staff, proposal=self.submitted(**kwargs))

    def assigned(self, *, assigned_on=None, co_units=(), **kwargs) -> Assignment:
        proposal = self.accepted(**kwargs)
        assignments = services.proposal_assign(
            actor=self.staff, proposal=proposal, lead_unit=self.unit, co_units=co_units, assigned_on=assigned_on
        )
        return next(a for a in assignments if a.role == Assignment.Role.LEAD)

    def contact(self, assignment, *, on=None):
        return services.contact_record(
            actor=self.unit_officer, assignment=assignment, kind="face_to_face",
            contacted_on=on or datetime.date.today(), people="林代表、卫健局李科长", content="现场查看并当面沟通。",
        )

    def replied(self, *, reply_class="A", assignment=None, on=None, **kwargs) -> Assignment:
        assignment = assignment or self.assigned(**kwargs)
        self.contact(assignment)
        commitments = [("2026年底前完成信号灯安装", datetime.date(2026, 12, 31))] if reply_class in "BC" else []
        services.reply_submit(
            actor=self.unit_officer, assignment=assignment, text="经研究，已列入年度计划。",
            reply_class=self.reply_classes[reply_class], officer="李科长", commitments=commitments, on=on,
        )
        assignment.refresh_from_db()
        return assignment


@pytest.fixture
def flow(deputy_user, deputy, co_deputy, staff_admin, unit_officer, health_bureau, reply_classes, session_1):
    return Flow(
        deputy_user=deputy_user, deputy=deputy, co_deputy=co_deputy, staff=staff_admin, unit_officer=unit_officer,
        unit=health_bureau, reply_classes=reply_classes, session=session_1,
    )


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of these tests go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The face-to-face session's fixtures live in their own module.
from tests.suggestions.session_fixtures import f2f, key_replied, other_deputy_user, replied  # noqa: E402,F401
