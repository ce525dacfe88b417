"""Factories for the supervision app. Like the other factories they write rows directly; tests of
the services call the services."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    RectificationItem,
    SatisfactionVote,
    SolicitationWindow,
    Topic,
    TopicKind,
    TopicProposal,
)
from tests.factories.congress import BodyFactory


class SolicitationWindowFactory(DjangoModelFactory):
    class Meta:
        model = SolicitationWindow
        django_get_or_create = ("body", "year")

    body = factory.SubFactory(BodyFactory)
    year = 2027
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year - 1, 10, 1))
    closes_on = factory.LazyAttribute(lambda o: datetime.date(o.year - 1, 12, 31))


class TopicProposalFactory(DjangoModelFactory):
    class Meta:
        model = TopicProposal

    body = factory.SubFactory(BodyFactory)
    year = 2027
    title = factory.Sequence(lambda n: f"监督议题建议{n}")
    necessity = "群众反映强烈，需要常委会跟踪监督。"
    problem = "存在推进缓慢的问题。"
    channel = TopicProposal.Channel.PUBLIC


class AnnualPlanFactory(DjangoModelFactory):
    class Meta:
        model = AnnualPlan
        django_get_or_create = ("body", "year")

    body = factory.SubFactory(BodyFactory)
    year = 2027
    title = factory.LazyAttribute(lambda o: f"{o.year}年度监督工作计划")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    plan = factory.SubFactory(AnnualPlanFactory)
    kind = TopicKind.WORK_REPORT
    title = factory.Sequence(lambda n: f"监督议题{n}")


class DeliberationOpinionFactory(DjangoModelFactory):
    class Meta:
        model = DeliberationOpinion

    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"审议意见{n}")
    text = "请加强工作。"


class SatisfactionVoteFactory(DjangoModelFactory):
    """A closed overall vote by default; set the counts and `passed` the test needs."""

    class Meta:
        model = SatisfactionVote

    topic = factory.SubFactory(TopicFactory)
    subject = SatisfactionVote.Subject.WORK_REPORT
    state = SatisfactionVote.State.CLOSED
    opened_at = factory.LazyFunction(timezone.now)
    closed_at = factory.LazyFunction(timezone.now)
    members_total = 5


class RectificationItemFactory(DjangoModelFactory):
    class Meta:
        model = RectificationItem

    opinion = factory.SubFactory(DeliberationOpinionFactory)
    round = 2
    item = factory.Sequence(lambda n: f"整改事项{n}")
    due_on = datetime.date(2027, 9, 30)
