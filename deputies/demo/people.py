"""Generated people for the deputies' demo data: Chinese names from surname and given-name lists,
genders, ethnicities, parties, education, occupations and employers by sector, valid resident ID
numbers and mobile phones, all drawn from the demo's one random generator."""

import dataclasses
import datetime

from congress.models import Region, Unit
from deputies.models import Education, Gender, Party, Sector

SURNAMES = (
    "陈" * 12 + "林" * 9 + "黄" * 7 + "叶" * 4 + "洪" * 4 + "苏" * 4 + "吴" * 4 + "王" * 4 + "李" * 4
    + "张" * 3 + "郑" * 3 + "许" * 3 + "蔡" * 3 + "庄" * 2 + "杨" * 2 + "刘" * 2 + "柯" * 2 + "颜" * 2
    + "曾" * 2 + "高" * 2 + "周" + "谢" + "何" + "施" + "杜" + "邱" + "胡" + "詹" + "孙" + "卢"
)
GIVEN_NAMES = {
    Gender.MALE: "志伟明华建国文斌俊杰振宇海峰国强永福金水清河家辉德胜荣发天佑炳坤锦龙",
    Gender.FEMALE: "秀兰丽萍雅琴晓燕美玲淑珍婉清慧敏佳怡碧霞素梅春燕丽娟雪芳玉凤彩云",
}
MINORITIES = ("畲族", "回族", "满族", "高山族", "壮族", "苗族", "土家族")
DEMOCRATIC_PARTIES = (
    Party.RCCK, Party.CDL, Party.CNDCA, Party.CAPD, Party.CPWDP, Party.ZHI_GONG, Party.JIUSAN, Party.TDSGL,
)
# Composition of each congress by sector (percent), as reported at its election.
DISTRICT_SECTORS = {
    Sector.WORKERS: 12, Sector.FARMERS: 14, Sector.PROFESSIONALS: 22, Sector.CADRES: 24,
    Sector.BUSINESS: 22, Sector.MILITARY: 2, Sector.OTHER: 4,
}
TOWNSHIP_SECTORS = {
    Sector.WORKERS: 12, Sector.FARMERS: 35, Sector.PROFESSIONALS: 15, Sector.CADRES: 18,
    Sector.BUSINESS: 15, Sector.OTHER: 5,
}
COMPANY_PLACES = ("同安", "银城", "梧侣", "凤山", "轮山", "西溪", "大轮", "美峰")
INDUSTRIES = ("机械", "电子", "食品", "纺织", "新材料", "光电", "汽车部件", "包装", "茶业", "建材")
PROFESSIONS = (
    ("主治医师", "同安区医院"), ("主任医师", "厦门市第三医院"), ("护士长", "同安区中医医院"),
    ("教师", "同安第一中学"), ("校长", "同安区实验小学"), ("教师", "厦门双十中学翔安校区"),
    ("律师", "福建同银律师事务所"), ("工程师", "同安区建设工程质量安全站"),
    ("农艺师", "同安区农业技术推广中心"), ("会计师", "厦门银城会计师事务所"),
)
# District-level leaders who sit as deputies; the first five also sit on the standing committee.
LEADER_POSTS = (
    ("区人大常委会主任", "同安区人大常委会"), ("区人大常委会副主任", "同安区人大常委会"),
    ("区人大常委会副主任", "同安区人大常委会"), ("区人大常委会副主任", "同安区人大常委会"),
    ("区人大常委会副主任", "同安区人大常委会"), ("区委书记", "中共厦门市同安区委员会"),
    ("区长", "同安区人民政府"), ("常务副区长", "同安区人民政府"), ("副区长", "同安区人民政府"),
    ("区监察委员会主任", "同安区监察委员会"), ("区人民法院院长", "同安区人民法院"),
    ("区人民检察院检察长", "同安区人民检察院"),
)
SC_COMMITTEES = ("法制委员会", "财政经济委员会", "教科文卫工委", "城建环保工委", "农业农村工委", "社会建设工委")


@dataclasses.dataclass
class Person:
    """The personal data of one deputy; a person with two mandates has two rows with the same data."""

    name: str
    gender: str
    ethnicity: str
    birth_date: datetime.date
    party: str
    education: str
    occupation: str
    employer: str
    sector: str
    id_number: str
    phone: str

    def fields(self) -> dict:
        return dataclasses.asdict(self)


class People:
    """Draws deputies' personal data; names, ID numbers and phones are unique across the demo."""

    def __init__(self, demo, rng, *, reserved_names=()):
        self.demo = demo
        self.rng = rng
        self.names: set[str] = set(reserved_names)
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.villages_of = {town.pk: [v for v in demo.villages if v.parent_id == town.pk] for town in demo.towns}

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def person(self, *, sector: str, town: Region, gender: str | None = None, name: str | None = None,
                post: tuple[str, str] | None = None) -> Person:
        rng = self.rng
        gender = gender or (Gender.FEMALE if rng.random() < 0.3 else Gender.MALE)
        name = name or self._name(gender)
        born = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(34 * 365))
        if post or sector == Sector.CADRES:
            born = datetime.date(1966, 1, 1) + datetime.timedelta(days=rng.randrange(16 * 365))
        occupation, employer = post or self._occupation(sector, town)
        return Person(
            name=name,
            gender=gender,
            ethnicity="汉族" if rng.random() < 0.96 else rng.choice(MINORITIES),
            birth_date=born,
            party=self._party(sector, leader=post is not None),
            education=self._education(sector),
            occupation=occupation,
            employer=employer,
            sector=sector,
            id_number=self._id_number(born, gender),
            phone=self._phone(),
        )

    def _name(self, gender: str) -> str:
        """A surname and a given name (mostly a common two-character one), unique in the demo."""
        rng, given = self.rng, GIVEN_NAMES[gender]
        while True:
            pair = 2 * rng.randrange(len(given) // 2)
            draw = rng.random()
            if draw < 0.7:
                first = given[pair: pair + 2]
            elif draw < 0.85:
                first = given[pair + rng.randrange(2)]
            else:
                first = rng.choice(given) + rng.choice(given)
            name = rng.choice(SURNAMES) + first
            if name not in self.names:
                self.names.add(name)
                return name

    def _occupation(self, sector: str, town: Region) -> tuple[str, str]:
        rng = self.rng
        village = rng.choice(self.villages_of[town.pk])
        company = f"厦门{rng.choice(COMPANY_PLACES)}{rng.choice(INDUSTRIES)}有限公司"
        street = town.kind == Region.Kind.STREET
        choices = {
            Sector.WORKERS: [(post, company) for post in ("一线工人", "车间主任", "技术员", "班组长", "质检员")],
            Sector.FARMERS: [
                ("党支部书记、主任", f"{town.name}{village.name}"), ("种植大户", f"{town.name}{village.name}"),
                ("农民专业合作社理事长", f"同安区{village.name[:2]}果蔬专业合作社"),
                ("茶农", f"{town.name}{village.name}"),
                ("家庭农场主", f"同安区{village.name[:2]}家庭农场"),
            ],
            Sector.PROFESSIONALS: list(PROFESSIONS),
            Sector.CADRES: [
                ("党工委书记" if street else "党委书记", f"中共{town.name}{'工作委员会' if street else '委员会'}"),
                ("办事处主任" if street else "镇长", self._government(town)),
                ("人大工委主任" if street else "人大主席", f"{town.name}人大"),
                ("局长", rng.choice([u.name for u in self.demo.units if u.kind == Unit.Kind.DEPARTMENT])),
                ("社区党委书记" if street else "村党支部书记", f"{town.name}{village.name}"),
            ],
            Sector.BUSINESS: [(post, company) for post in ("董事长", "总经理", "副总经理")]
            + [("个体工商户", f"{town.name}{village.name[:2]}商行")],
            Sector.MILITARY: [("政治委员", "同安区人民武装部"), ("参谋长", "同安区人民武装部")],
            Sector.OTHER: [("社会工作者", f"{town.name}社会工作服务站"), ("理事长", "同安区慈善总会")],
        }
        return rng.choice(choices[sector])

    def _government(self, town: Region) -> str:
        return next(u.name for u in self.demo.units if u.region_id == town.pk)

    def _party(self, sector: str, *, leader: bool) -> str:
        if leader:
            return Party.CPC
        shares = {
            Sector.CADRES: {Party.CPC: 90, "democratic": 5, Party.NON_PARTY: 5},
            Sector.PROFESSIONALS: {Party.CPC: 45, "democratic": 30, Party.NON_PARTY: 10, Party.MASSES: 15},
            Sector.BUSINESS: {Party.CPC: 40, "democratic": 20, Party.NON_PARTY: 10, Party.MASSES: 30},
            Sector.MILITARY: {Party.CPC: 100},
        }.get(sector, {Party.CPC: 55, Party.MASSES: 45})
        party = self.pick(shares)
        return self.rng.choice(DEMOCRATIC_PARTIES) if party == "democratic" else party

    def _education(self, sector: str) -> str:
        shares = {
            Sector.CADRES: {Education.MASTER: 40, Education.BACHELOR: 60},
            Sector.PROFESSIONALS: {Education.DOCTORATE: 10, Education.MASTER: 35, Education.BACHELOR: 55},
            Sector.BUSINESS: {Education.MASTER: 15, Education.BACHELOR: 45, Education.COLLEGE: 40},
            Sector.MILITARY: {Education.BACHELOR: 100},
            Sector.WORKERS: {Education.COLLEGE: 50, Education.SECONDARY: 50},
        }.get(sector, {Education.COLLEGE: 20, Education.SECONDARY: 50, Education.JUNIOR: 30})
        return self.pick(shares)

    def _id_number(self, born: datetime.date, gender: str) -> str:
        """A valid resident ID number (GB 11643): the order code's last digit is odd for men."""
        weights, check = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), "10X98765432"
        while True:
            order = self.rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)
            stem = f"{self.rng.choice(('350212', '350212', '350212', '350524', '350583'))}{born:%Y%m%d}{order:03d}"
            value = stem + check[sum(int(d) * w for d, w in zip(stem, weights, strict=True)) % 11]
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def _phone(self) -> str:
        while True:
            value = f"1{self.rng.choice(('35', '36', '37', '38', '39', '50', '58', '59', '80', '86', '88'))}"
            value += f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value
