"""Factories for the institution: regions, bodies, terms, committees, units, users and roles."""

import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from congress.models import Body, Committee, Region, RoleGrant, Session, Term, Unit, User
from congress.models.accounts import Role

DEFAULT_PASSWORD = "Tongxin-test-2026"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"3502{n:08d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    kind = Region.Kind.DISTRICT
    parent = None
    # Paths are normally kept by congress.services.region_save; factories set them directly.
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")


class DistrictFactory(RegionFactory):
    code = "350212"
    name = "同安区"
    kind = Region.Kind.DISTRICT


class TownFactory(RegionFactory):
    parent = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"350212{100 + n:03d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")
    kind = Region.Kind.TOWN


class VillageFactory(RegionFactory):
    parent = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"{n:012d}")
    name = factory.Sequence(lambda n: f"测试村{n}")
    kind = Region.Kind.VILLAGE


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("region", "level")

    region = factory.SubFactory(DistrictFactory)
    level = Body.Level.DISTRICT
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")
    short_name = factory.LazyAttribute(lambda o: f"{o.region.name}人大")
    standing_organ_name = factory.LazyAttribute(lambda o: f"{o.region.name}人大常委会")


class TownshipBodyFactory(BodyFactory):
    region = factory.SubFactory(TownFactory)
    level = Body.Level.TOWNSHIP
    parent = factory.LazyAttribute(lambda o: BodyFactory(region=o.region.parent))
    standing_organ_name = factory.LazyAttribute(lambda o: f"{o.region.name}人大主席团")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("body", "number")

    body = factory.SubFactory(BodyFactory)
    number = 18
    starts_on = datetime.date(2021, 10, 1)
    is_current = True


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session
        django_get_or_create = ("term", "kind", "number")

    term = factory.SubFactory(TermFactory)
    kind = Session.Kind.CONGRESS
    number = factory.Sequence(lambda n: n + 1)
    starts_on = datetime.date(2026, 1, 10)


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("body", "name")

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"测试委员会{n}")
    kind = Committee.Kind.WORKING


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.DEPARTMENT


@functools.cache
def password_hash(raw: str) -> str:
    """Argon2 is slow on purpose (about a second on a loaded machine), so users given the same
    password share one hash: one salt per password and process instead of one per user."""
    return make_password(raw)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.password = password_hash(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class RoleGrantFactory(DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF_CLERK
    body = factory.SubFactory(BodyFactory)


def user_with_role(role: str, *, username: str | None = None, **scope) -> User:
    """A user holding one role in the given scope (body=…, unit=…, region=…, committee=…)."""
    user = UserFactory(**({"username": username} if username else {}))
    RoleGrant.objects.create(user=user, role=role, **scope)
    return user
