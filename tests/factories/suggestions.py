"""Factories for the suggestions app. They write rows directly; service tests call the services."""

import factory
from factory.django import DjangoModelFactory

from suggestions.models import Category, Proposal, ReplyClass, ReturnReason, Signer
from tests.factories.congress import BodyFactory, TermFactory
from tests.factories.deputies import DeputyFactory


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("body", "name")

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"类别{n}")


class ReturnReasonFactory(DjangoModelFactory):
    class Meta:
        model = ReturnReason
        django_get_or_create = ("body", "code")

    body = factory.SubFactory(BodyFactory)
    code = "jurisdiction"
    name = "不属于人大职权范围"


class ReplyClassFactory(DjangoModelFactory):
    class Meta:
        model = ReplyClass
        django_get_or_create = ("body", "code")

    body = factory.SubFactory(BodyFactory)
    code = "A"
    name = "已经解决或基本解决"
    requires_commitment = factory.LazyAttribute(lambda o: o.code in ("B", "C"))
    counts_as_solved = factory.LazyAttribute(lambda o: o.code == "A")


class ProposalFactory(DjangoModelFactory):
    """A draft proposal with its lead deputy as the confirmed first signer."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    term = factory.LazyAttribute(lambda o: TermFactory(body=o.body))
    lead_deputy = factory.LazyAttribute(lambda o: DeputyFactory(body=o.body, term=o.term))
    kind = Proposal.Kind.SUGGESTION
    title = factory.Sequence(lambda n: f"关于改善第{n}号路段交通秩序的建议")
    content = "建议在上下学时段增加交通疏导力量。"

    @factory.post_generation
    def lead_signer(self, create, extracted, **kwargs):
        if create:
            Signer.objects.get_or_create(
                proposal=self, deputy=self.lead_deputy, defaults={"is_lead": True, "confirmed_at": self.created_at}
            )
