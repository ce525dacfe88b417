"""Build the demo district 同安区: its regions, congresses, terms, sessions, committees, units and
one account per role, on the test factories, the same for a given `--seed`.

The seed refuses to run without DEBUG unless forced, and does nothing when the demo district is
already there. Without `--password` (or the DEMO_PASSWORD setting) every demo account gets one
random password that must be changed at first login (SECURITY S9: no default credentials). The
logins are printed and written to var/demo-logins.txt (readable by the owner only), from which
`manage.py run_platform` prints them again at every start.
"""

import datetime
import os
import random
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from congress import services
from congress.models import BodyRules, Committee, Region, Session, Term, Unit, User
from congress.models.accounts import Role

DISTRICT_CODE = "350212"
DISTRICT_NAME = "同安区"
VILLAGE_COUNT = 125

# The ten towns and streets (镇、街道) and the two state farms at township level, with their codes.
TOWNS = (
    ("350212001", "大同街道", Region.Kind.STREET),
    ("350212002", "祥平街道", Region.Kind.STREET),
    ("350212003", "西柯街道", Region.Kind.STREET),
    ("350212004", "新民街道", Region.Kind.STREET),
    ("350212101", "五显镇", Region.Kind.TOWN),
    ("350212102", "洪塘镇", Region.Kind.TOWN),
    ("350212103", "莲花镇", Region.Kind.TOWN),
    ("350212104", "汀溪镇", Region.Kind.TOWN),
    ("350212400", "竹坝华侨农场", Region.Kind.TOWN),
    ("350212401", "凤南农场", Region.Kind.TOWN),
)
FARMS = {"350212400", "350212401"}

COMMITTEES = (
    ("法制委员会", Committee.Kind.SPECIAL),
    ("财政经济委员会", Committee.Kind.SPECIAL),
    ("教育科学文化卫生工作委员会", Committee.Kind.WORKING),
    ("城乡建设环境保护工作委员会", Committee.Kind.WORKING),
    ("农业农村工作委员会", Committee.Kind.WORKING),
    ("社会建设工作委员会", Committee.Kind.WORKING),
    ("监察和司法工作委员会", Committee.Kind.WORKING),
    ("代表工作委员会", Committee.Kind.WORKING),
    ("办公室", Committee.Kind.OFFICE),
)

# The organs the standing committee supervises (一府一委两院) and the government's departments.
GOVERNMENT = ("同安区人民政府", "区政府")
ORGANS = (
    ("同安区监察委员会", "区监委", Unit.Kind.SUPERVISORY),
    ("同安区人民法院", "区法院", Unit.Kind.COURT),
    ("同安区人民检察院", "区检察院", Unit.Kind.PROCURATORATE),
)
DEPARTMENTS = (
    ("同安区发展和改革局", "发改局"),
    ("同安区教育局", "教育局"),
    ("同安区工业和信息化局", "工信局"),
    ("同安区民政局", "民政局"),
    ("同安区司法局", "司法局"),
    ("同安区财政局", "财政局"),
    ("同安区人力资源和社会保障局", "人社局"),
    ("同安区建设与交通局", "建设与交通局"),
    ("同安区农业农村局", "农业农村局"),
    ("同安区水利局", "水利局"),
    ("同安区商务局", "商务局"),
    ("同安区文化和旅游局", "文旅局"),
    ("同安区卫生健康局", "卫健局"),
    ("同安区退役军人事务局", "退役军人事务局"),
    ("同安区应急管理局", "应急局"),
    ("同安区市场监督管理局", "市场监管局"),
    ("同安区城市管理局", "城管局"),
    ("同安区行政审批管理局", "审批管理局"),
    ("同安区医疗保障局", "医保局"),
    ("同安区统计局", "统计局"),
    ("同安区信访局", "信访局"),
)
HEALTH_BUREAU = "同安区卫生健康局"
DEMO_TOWN = "350212001"  # 大同街道: the township officer's and the station keeper's town

# Syllables of generated village and community names (溪边、西洋、后埔…).
NAME_HEADS = "东西南北新后前上下美溪竹莲云凤柏洪林田山湖岭埔洋坑潭塘桥安"
NAME_TAILS = "溪山林田洋埔厝坑岭塘美兴丰安和光华源头内边尾坂圳洲垵亭园湖阳"

# username, role, scope, full name
PERSONAS = (
    ("admin", Role.STAFF_ADMIN, "body", "陈明华"),
    ("clerk", Role.STAFF_CLERK, "body", "林晓燕"),
    ("leader", Role.LEADER, "body", "黄志强"),
    ("member", Role.MEMBER, "body", "苏雅琴"),
    ("deputy", Role.DEPUTY, "body", "叶文彬"),
    ("unit", Role.UNIT_OFFICER, "unit", "郑海涛"),
    ("township", Role.TOWNSHIP_OFFICER, "town", "洪丽萍"),
    ("keeper", Role.STATION_KEEPER, "village", "吴秀兰"),
    ("auditor", Role.AUDITOR, "body", "李静"),
    ("sysadmin", Role.SYSTEM_ADMIN, None, "张伟"),
)
LOGINS_FILE = "demo-logins.txt"


class Command(BaseCommand):
    help = "Build the demo district 同安区 (regions, congresses, committees, units, one account per role)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed builds the same data.")
        parser.add_argument("--password", default="", help="Password of every demo account (default: random).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database has any user.")
        parser.add_argument(
            "--logins-file",
            default=str(settings.VAR_DIR / LOGINS_FILE),
            help="Where to write the demo logins (default: var/demo-logins.txt); '' writes none.",
        )

    def handle(self, *args, seed, password, force, if_empty, logins_file, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo builds demo accounts: it refuses to run with DEBUG off (use --force).")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; the demo seed is skipped.")
            return
        if Region.objects.filter(code=DISTRICT_CODE).exists():
            self.stdout.write(f"The demo district {DISTRICT_NAME} ({DISTRICT_CODE}) already exists; nothing to do.")
            return
        try:
            import factory  # noqa: F401  (the seed is built on the test factories)
        except ImportError as error:
            raise CommandError(
                "seed_demo needs the development requirements (pip install -r requirements-dev.txt)."
            ) from error

        # A demo install is DEBUG-only and its password is random per machine unless chosen, so the
        # accounts are usable at once; production's first admin (SECURITY S9) is a different path.
        chosen = password or settings.DEMO_PASSWORD or secrets.token_urlsafe(9)
        with transaction.atomic():
            demo = DemoDistrict(random.Random(seed))
            demo.build()
            logins = demo.accounts(password=chosen)
        self._report(demo, logins, chosen, logins_file)

    def _report(self, demo, logins, password, logins_file):
        self.stdout.write(self.style.SUCCESS(demo.summary()))
        lines = ["Demo logins (username, password, role · scope):"]
        width = max(len(username) for username, _role, _scope in logins)
        lines += [f"  {username:<{width}}  {password}  {role} · {scope}" for username, role, scope in logins]
        text = "\n".join(lines)
        self.stdout.write(text)
        if not logins_file:
            return
        # The file holds passwords: create it readable by its owner only.
        descriptor = os.open(logins_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")


class DemoDistrict:
    """The demo district's institution, built step by step from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counts: dict[str, int] = {}

    def build(self):
        from tests.factories.congress import VillageFactory

        self.district = services.region_save(
            actor=None, region=Region(code=DISTRICT_CODE, name=DISTRICT_NAME, kind=Region.Kind.DISTRICT)
        )
        self.towns = [
            services.region_save(actor=None, region=Region(code=code, name=name, kind=kind, parent=self.district))
            for code, name, kind in TOWNS
        ]
        villages = []
        for town, count in zip(self.towns, self._village_counts(), strict=True):
            # National pattern of the last three digits: 社区 from 001, 村 from 201.
            serial = {Region.Kind.COMMUNITY: 1, Region.Kind.VILLAGE: 201}
            for name, kind in self._village_names(town, count):
                code = f"{town.code}{serial[kind]:03d}"
                serial[kind] += 1
                villages.append(VillageFactory.build(parent=town, code=code, name=name, kind=kind))
        self.villages = Region.objects.bulk_create(villages)
        self.counts["regions"] = 1 + len(self.towns) + len(self.villages)

        self._bodies()
        self._committees()
        self._units()

    def _village_counts(self) -> list[int]:
        # Farms are small; the remaining villages spread evenly, the leftovers to towns drawn at random.
        counts = [5 if code in FARMS else 0 for code, _name, _kind in TOWNS]
        others = [index for index, count in enumerate(counts) if not count]
        share, extra = divmod(VILLAGE_COUNT - sum(counts), len(others))
        for index in others:
            counts[index] = share
        for index in self.rng.sample(others, extra):
            counts[index] += 1
        return counts

    def _village_names(self, town: Region, count: int) -> list[tuple[str, str]]:
        community_share = 0.7 if town.kind == Region.Kind.STREET else 0.15
        stems = sorted({head + tail for head in NAME_HEADS for tail in NAME_TAILS if head != tail})
        names = []
        for stem in self.rng.sample(stems, count):
            if self.rng.random() < community_share:
                names.append((f"{stem}社区", Region.Kind.COMMUNITY))
            else:
                names.append((f"{stem}村", Region.Kind.VILLAGE))
        return names

    def _bodies(self):
        from tests.factories.congress import BodyFactory, TermFactory, TownshipBodyFactory

        self.body = BodyFactory(
            region=self.district,
            name="厦门市同安区人民代表大会",
            short_name="同安区人大",
            standing_organ_name="厦门市同安区人大常委会",
        )
        TermFactory(
            body=self.body,
            number=17,
            starts_on=datetime.date(2016, 10, 1),
            ends_on=datetime.date(2021, 9, 30),
            is_current=False,
        )
        self.term = TermFactory(body=self.body, number=18, starts_on=datetime.date(2021, 10, 1), is_current=True)
        self.township_bodies = [
            TownshipBodyFactory(
                region=town,
                parent=self.body,
                name=f"{town.name}人民代表大会",
                short_name=f"{town.name}人大",
                standing_organ_name=f"{town.name}人大{'工委' if town.kind == Region.Kind.STREET else '主席团'}",
            )
            for town in self.towns
        ]
        township_terms = Term.objects.bulk_create(
            Term(body=body, number=18, starts_on=self._day(2021, 9, spread=30), is_current=True)
            for body in self.township_bodies
        )
        BodyRules.objects.bulk_create(BodyRules(body=body) for body in [self.body, *self.township_bodies])
        sessions = Session.objects.bulk_create(self._sessions(township_terms))
        self.counts.update(bodies=1 + len(self.township_bodies), terms=2 + len(township_terms), sessions=len(sessions))

    def _day(self, year: int, month: int, *, spread: int) -> datetime.date:
        return datetime.date(year, month, 1) + datetime.timedelta(days=self.rng.randrange(spread))

    def _sessions(self, township_terms):
        """The district's six congress sessions, recent standing-committee and leaders' meetings;
        each township's yearly congress sessions and two presidium meetings."""
        congress_days = [datetime.date(2021, 9, 28)] + [datetime.date(year, 1, 8) for year in range(2022, 2027)]
        for number, day in enumerate(congress_days, start=1):
            yield Session(
                term=self.term,
                kind=Session.Kind.CONGRESS,
                number=number,
                starts_on=day,
                ends_on=day + datetime.timedelta(days=3),
            )
        for index in range(8):  # bimonthly, from the 25th meeting of the term
            day = datetime.date(2025 + index // 6, 1 + 2 * (index % 6), 20)
            yield Session(term=self.term, kind=Session.Kind.STANDING_COMMITTEE, number=25 + index, starts_on=day)
        for index in range(4):
            day = datetime.date(2025, 12, 1) + datetime.timedelta(days=30 * index)
            yield Session(term=self.term, kind=Session.Kind.LEADERS, number=60 + index, starts_on=day)
        for term in township_terms:
            for number in range(1, 6):
                day = (
                    term.starts_on + datetime.timedelta(days=1)
                    if number == 1
                    else self._day(2020 + number, 1, spread=25)
                )
                yield Session(
                    term=term,
                    kind=Session.Kind.CONGRESS,
                    number=number,
                    starts_on=day,
                    ends_on=day + datetime.timedelta(days=1),
                )
            for number in range(1, 3):
                yield Session(
                    term=term,
                    kind=Session.Kind.PRESIDIUM,
                    number=number,
                    starts_on=self._day(2025, 3 * number, spread=28),
                )

    def _committees(self):
        from tests.factories.congress import CommitteeFactory

        self.committees = [CommitteeFactory(body=self.body, name=name, kind=kind) for name, kind in COMMITTEES]
        self.counts["committees"] = len(self.committees)

    def _units(self):
        from tests.factories.congress import UnitFactory

        government = UnitFactory(
            region=self.district, name=GOVERNMENT[0], short_name=GOVERNMENT[1], kind=Unit.Kind.GOVERNMENT
        )
        units = [
            UnitFactory.build(region=self.district, name=name, short_name=short, kind=kind)
            for name, short, kind in ORGANS
        ]
        units += [
            UnitFactory.build(
                region=self.district, name=name, short_name=short, kind=Unit.Kind.DEPARTMENT, parent=government
            )
            for name, short in DEPARTMENTS
        ]
        units += [
            UnitFactory.build(
                region=town, name=self._township_government_name(town), short_name=town.name, kind=Unit.Kind.TOWNSHIP
            )
            for town in self.towns
        ]
        Unit.objects.bulk_create(units)
        self.health_bureau = Unit.objects.get(region=self.district, name=HEALTH_BUREAU)
        self.counts["units"] = 1 + len(units)

    @staticmethod
    def _township_government_name(town: Region) -> str:
        if town.kind == Region.Kind.STREET:
            return f"{town.name}办事处"
        if town.code in FARMS:
            return f"{town.name}管理委员会"
        return f"{town.name}人民政府"

    def accounts(self, *, password: str) -> list[tuple[str, str, str]]:
        """One account per role, granted through the role service so that every scope is checked."""
        from tests.factories.congress import UserFactory

        town = next(town for town in self.towns if town.code == DEMO_TOWN)
        village = next(village for village in self.villages if village.parent_id == town.pk)
        scopes = {
            "body": {"body": self.body},
            "unit": {"unit": self.health_bureau},
            "town": {"region": town},
            "village": {"region": village},
            None: {},
        }
        logins = []
        for username, role, scope, full_name in PERSONAS:
            user = UserFactory(
                username=username,
                full_name=full_name,
                email=f"{username}@tongan.example.cn",
                password=password,
                must_change_password=False,
                # The system administrator repairs data in Django's admin (DESIGN §1).
                is_staff=role == Role.SYSTEM_ADMIN,
                is_superuser=role == Role.SYSTEM_ADMIN,
            )
            services.role_grant(actor=None, user=user, role=role, **scopes[scope])
            target = next(iter(scopes[scope].values()), None)
            logins.append((username, str(role.label), str(target) if target else "—"))
        self.counts["users"] = len(logins)
        return logins

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Built the demo district {DISTRICT_NAME}: {parts}."
