"""The demo district 同安区, built step by step from one seeded random generator.

`DemoDistrict` builds the institution (regions, congresses, terms, sessions, committees, units)
and one account per role on the test factories and the services. `manage.py seed_demo` then hands
it to each app's `<app>.demo.build(demo)` in turn (deputies, contact_stations, suggestions,
supervision), and every app reads what it needs from it and adds what the apps after it need
(deputies sets `district_deputies` and `township_deputies`, contact_stations sets `stations`).

The demo data contract, for the apps' `demo.py`:
- `rng` is the only randomness allowed (random.Random): the same seed builds the same data.
  `begin_app(label)` reseeds it per app, so one app's data does not shift when another changes.
- `body`, `term`: the district congress and its current term; `towns`, `villages`: Regions;
  `township_bodies`: town code → township Body; `units` with `health_bureau` and
  `approval_bureau`; `users`: username → demo User (admin, clerk, leader, member, deputy, unit,
  township, keeper, auditor, sysadmin); `counts`: name → number built, shown by the command.
- `size(name, default)`: how many of something to build. The defaults are the real district's
  sizes; a test builds a small district (tests/conftest.py `demo_district`) by passing `sizes`.
"""

import datetime
import random

from congress import services
from congress.models import BodyRules, Committee, Region, Session, Term, Unit
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
APPROVAL_BUREAU = "同安区行政审批管理局"
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


class DemoDistrict:
    """The demo district's institution and accounts, and what the apps' demo builders add to it.

    `towns` and `villages` shrink the district for tests (the first `towns` towns, the demo town
    大同街道 always among them); `sizes` overrides the apps' counts by name (see `size`).
    """

    def __init__(self, seed: int = 2026, *, towns: int = len(TOWNS), villages: int = VILLAGE_COUNT, sizes=None):
        if not 1 <= towns <= len(TOWNS):
            raise ValueError(f"towns must be between 1 and {len(TOWNS)}")
        if villages < towns:
            raise ValueError("every town needs at least one village")
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
        self.town_count = towns
        self.village_count = villages
        self.sizes: dict[str, int] = dict(sizes or {})
        self.counts: dict[str, int] = {}
        self.users: dict[str, object] = {}

    def size(self, name: str, default: int) -> int:
        """How many of `name` an app builds: the real district's `default` unless a test said otherwise."""
        return self.sizes.get(name, default)

    def begin_app(self, label: str) -> None:
        """Reseed `rng` for one app's builder, from the seed and the app's label."""
        self.rng = random.Random(f"{self.seed}:{label}")  # noqa: S311

    # ---- the institution ---------------------------------------------------------------------

    def build(self):
        from tests.factories.congress import VillageFactory

        self.district = services.region_save(
            actor=None, region=Region(code=DISTRICT_CODE, name=DISTRICT_NAME, kind=Region.Kind.DISTRICT)
        )
        self.towns = [
            services.region_save(actor=None, region=Region(code=code, name=name, kind=kind, parent=self.district))
            for code, name, kind in TOWNS[: self.town_count]
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
        return self

    def _village_counts(self) -> list[int]:
        # Farms are small; the remaining villages spread evenly, the leftovers to towns drawn at random.
        towns = TOWNS[: self.town_count]
        farm_size = min(5, self.village_count // len(towns))
        counts = [farm_size if code in FARMS else 0 for code, _name, _kind in towns]
        others = [index for index, count in enumerate(counts) if not count]
        share, extra = divmod(self.village_count - sum(counts), len(others))
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
        township_bodies = [
            TownshipBodyFactory(
                region=town,
                parent=self.body,
                name=f"{town.name}人民代表大会",
                short_name=f"{town.name}人大",
                standing_organ_name=f"{town.name}人大{'工委' if town.kind == Region.Kind.STREET else '主席团'}",
            )
            for town in self.towns
        ]
        self.township_bodies = {town.code: body for town, body in zip(self.towns, township_bodies, strict=True)}
        township_terms = Term.objects.bulk_create(
            Term(body=body, number=18, starts_on=self._day(2021, 9, spread=30), is_current=True)
            for body in township_bodies
        )
        self.township_terms = {town.code: term for town, term in zip(self.towns, township_terms, strict=True)}
        BodyRules.objects.bulk_create(BodyRules(body=body) for body in [self.body, *township_bodies])
        sessions = Session.objects.bulk_create(self._sessions(township_terms))
        self.counts.update(bodies=1 + len(township_bodies), terms=2 + len(township_terms), sessions=len(sessions))

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
        self.units = [government, *Unit.objects.bulk_create(units)]
        by_name = {unit.name: unit for unit in self.units}
        self.health_bureau = by_name[HEALTH_BUREAU]
        self.approval_bureau = by_name[APPROVAL_BUREAU]
        self.counts["units"] = len(self.units)

    @staticmethod
    def _township_government_name(town: Region) -> str:
        if town.kind == Region.Kind.STREET:
            return f"{town.name}办事处"
        if town.code in FARMS:
            return f"{town.name}管理委员会"
        return f"{town.name}人民政府"

    @property
    def demo_town(self) -> Region:
        """大同街道, the town of the township officer and the station keeper."""
        return next(town for town in self.towns if town.code == DEMO_TOWN)

    # ---- accounts ----------------------------------------------------------------------------

    def accounts(self, *, password: str) -> list[tuple[str, str, str]]:
        """One account per role, granted through the role service so that every scope is checked.

        Returns (username, role, scope) per account; the accounts land in `users`.
        """
        from tests.factories.congress import UserFactory

        town = self.demo_town
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
            self.users[username] = user
            target = next(iter(scopes[scope].values()), None)
            logins.append((username, str(role.label), str(target) if target else "—"))
        self.counts["users"] = len(logins)
        return logins

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Built the demo district {DISTRICT_NAME}: {parts}."
