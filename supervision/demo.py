"""The supervision year of the demo district (seed_demo): a plan built from about sixty proposals,
the special work evaluations of the 卫健局 (investigating, questionnaires answered) and the 审批管理局
(failed its appraisal, rectifying with a plan and a ledger) with fifteen symposiums, a
deliberation opinion that failed its first satisfaction vote and passed its second (both results
published), a work-report vote still open with the members' phone links out, a published special
inquiry with its questions and handling report, five half-month dialogues, and a year of letters
and visits in every state.

Everything goes through the services (events, milestones with their basis, duty activities,
notifications are what the platform writes); proposals are written with the test factory first
because the public form only accepts them while the solicitation window is open.
"""

import datetime

from supervision import services
from supervision.models import (
    Choice,
    DialogueSeries,
    LetterVisit,
    RectificationItem,
    SatisfactionVote,
    SupervisionActivity,
    TopicKind,
    TopicProposal,
    WorkEvaluation,
)

DEMO_YEAR = 2026
PROPOSALS = 60
SYMPOSIUMS = 15  # across the two evaluations (DESIGN §7)
DIALOGUES = 5

THEMES = (
    ("基层医疗卫生服务能力建设", TopicKind.WORK_REPORT),
    ("营商环境优化提升", TopicKind.RESEARCH),
    ("农村生活污水治理", TopicKind.INSPECTION),
    ("《中华人民共和国食品安全法》贯彻实施", TopicKind.LAW_ENFORCEMENT),
    ("义务教育优质均衡发展", TopicKind.WORK_REPORT),
    ("养老服务体系建设", TopicKind.RESEARCH),
    ("2025年度财政预算执行和审计查出问题整改", TopicKind.BUDGET_AUDIT),
    ("城市内涝治理", TopicKind.SPECIAL_INQUIRY),
    ("农村饮水安全", TopicKind.INSPECTION),
    ("文旅融合发展", TopicKind.RESEARCH),
)
DECLINE_REASONS = (
    "已列入区政府年度重点工作，由政府部门推进落实",
    "属于个案诉求，已转相关部门按信访程序办理",
    "不属于区人大常委会监督职权范围",
)
LETTER_THEMES = ("医疗卫生", "教育", "城市管理", "社会保障", "生态环境", "征地拆迁", "交通出行")


def build(demo, *, proposals: int | None = None) -> None:
    SupervisionDemo(demo, proposals=proposals or demo.size("topic_proposals", PROPOSALS)).build()


class SupervisionDemo:
    def __init__(self, demo, *, proposals: int):
        self.demo = demo
        self.rng = demo.rng
        self.body = demo.body
        self.clerk = demo.users["clerk"]
        self.leader = demo.users["leader"]
        self.unit_user = demo.users["unit"]
        self.deputies = [d for d in getattr(demo, "district_deputies", []) if d.is_serving]
        self.committees = list(self.body.committees.all())
        self.proposal_count = proposals

    def _deputies(self, count):
        return self.rng.sample(self.deputies, min(count, len(self.deputies)))

    def _town(self):
        return self.rng.choice(self.demo.towns)

    def build(self):
        from tests.factories.supervision import SolicitationWindowFactory, TopicProposalFactory

        year = DEMO_YEAR
        window = SolicitationWindowFactory(body=self.body, year=year, announcement="欢迎社会各界提出监督议题建议")
        channels = TopicProposal.Channel.values
        proposals = []
        for index in range(self.proposal_count):
            title, _kind = THEMES[index % len(THEMES)]
            deputy = self.rng.choice(self.deputies) if self.deputies and index % 3 == 0 else None
            proposals.append(
                TopicProposalFactory(
                    body=self.body, window=window, year=year, title=f"关于{title}的监督议题建议（{index + 1}）",
                    channel=channels[0] if deputy else self.rng.choice(channels), proposer_deputy=deputy,
                    proposer_user=deputy.user if deputy else None,
                    citizen_name="" if deputy else self.rng.choice(("王女士", "陈先生", "林先生", "")),
                )
            )
        plan = services.plan_create(actor=self.clerk, body=self.body, year=year)
        meetings = list(self.demo.term.sessions.filter(kind="standing").order_by("starts_on"))
        # The first proposal of each theme is adopted, the other proposals of a theme are merged into
        # it (lineage kept), and every fourth of the rest declined with a reason.
        topics = {}
        for index, proposal in enumerate(proposals):
            theme_index = index % len(THEMES)
            if theme_index not in topics:
                title, kind = THEMES[theme_index]
                meeting = meetings[theme_index % len(meetings)] if meetings else None
                topic = services.topic_create(
                    actor=self.clerk, plan=plan, kind=kind, title=f"关于{title}情况", meeting=meeting,
                    meeting_date=None if meeting else datetime.date(year, 3 + theme_index, 25),
                    lead_committee=self.rng.choice(self.committees) if self.committees else None,
                    supervised_units=[self.rng.choice(self.demo.units)], leader=self.leader,
                )
                services.proposal_adopt(actor=self.clerk, proposal=proposal, topic=topic)
                topics[theme_index] = (topic, proposal)
            elif index % 4 == 3:
                services.proposal_decline(actor=self.clerk, proposal=proposal,
                                          reason=self.rng.choice(DECLINE_REASONS))
            elif index % 4 != 2:
                services.proposal_merge(actor=self.clerk, proposal=proposal, into=topics[theme_index][1])
            # the rest stay in the inbox for a new user to merge, adopt or decline
        evaluations = [
            self._evaluation_topic(plan, unit, year) for unit in (self.demo.health_bureau, self.demo.approval_bureau)
        ]
        services.plan_submit(actor=self.clerk, plan=plan)
        services.plan_adopt(actor=self.leader, plan=plan, on=datetime.date(year, 1, 20))
        services.plan_publish(actor=self.clerk, plan=plan)
        services.plan_adjust(actor=self.clerk, plan=plan, reason="根据区委工作部署，调整城市内涝治理专题询问的会议安排")
        services.plan_publish(actor=self.clerk, plan=plan)

        self._symposiums(evaluations)
        self._evaluation_progress(evaluations)
        self._evaluation_rectifying(evaluations[1])
        self._opinion_loop(topics[0][0])
        self._open_vote(topics[4][0])
        self._inquiry(topics[7][0])
        self._dialogues(year)
        self._letters(year)
        counts = self.demo.counts
        counts["topic_proposals"] = len(proposals)
        counts["supervision_topics"] = plan.topics.count()
        counts["symposiums"] = SupervisionActivity.objects.filter(kind=SupervisionActivity.Kind.SYMPOSIUM).count()
        counts["satisfaction_votes"] = SatisfactionVote.objects.count()

    def _evaluation_topic(self, plan, unit, year):
        topic = services.topic_create(
            actor=self.clerk, plan=plan, kind=TopicKind.WORK_EVALUATION, title=f"对{unit.name}开展专项工作评议",
            supervised_units=[unit], meeting_date=datetime.date(year, 11, 25), leader=self.leader,
        )
        return services.evaluation_create(
            actor=self.clerk, topic=topic, unit=unit, year=year, members=[self.demo.users["member"]],
            deputies=self._deputies(8),
        )

    def _symposiums(self, evaluations):
        """Fifteen symposiums, per town and with the departments, shared by the two evaluations."""
        for index in range(SYMPOSIUMS):
            evaluation = evaluations[index % len(evaluations)]
            town = self.demo.towns[index % len(self.demo.towns)]
            with_department = index % 5 == 4
            services.activity_record(
                actor=self.clerk, topic=evaluation.topic, kind=SupervisionActivity.Kind.SYMPOSIUM,
                title=(f"{evaluation.unit.short_name or evaluation.unit.name}专项工作评议"
                       f"{'部门' if with_department else town.name}座谈会"),
                date=datetime.date(DEMO_YEAR, 4 + index // 4, 1 + (index * 3) % 27),
                place=None if with_department else town, deputies=self._deputies(4), units=[evaluation.unit],
                notes="听取代表和群众对部门工作的意见建议。",
            )

    def _evaluation_progress(self, evaluations):
        """Both evaluations in their investigation: questionnaires out, some answered."""
        for evaluation in evaluations:
            services.evaluation_advance(actor=self.clerk, evaluation=evaluation, to=WorkEvaluation.Phase.INVESTIGATE)
            tokens = services.questionnaire_issue(actor=self.clerk, evaluation=evaluation, audience="deputy",
                                                  deputies=evaluation.group_deputies.all())
            tokens += services.questionnaire_issue(actor=self.clerk, evaluation=evaluation, audience="citizen",
                                                   count=10)
            for token in tokens[: len(tokens) * 2 // 3]:
                ratings = {dimension: self.rng.choice(Choice.values) for dimension in evaluation.dimensions}
                services.questionnaire_answer(token=token, ratings=ratings)

    def _vote(self, topic, opinion, *, satisfied):
        vote, tokens = services.vote_open(
            actor=self.clerk, topic=topic, subject=SatisfactionVote.Subject.IMPLEMENTATION, opinion=opinion
        )
        online = 0
        for token in tokens.values():
            if online < satisfied:
                services.ballot_cast_by_token(token=token, choice=Choice.SATISFIED)
                online += 1
        remaining = vote.members_total - len(tokens)
        paper_satisfied = max(0, min(satisfied - online, remaining))
        paper_rest = remaining - paper_satisfied
        services.vote_enter_tally(actor=self.clerk, vote=vote, satisfied=paper_satisfied,
                                  basically=paper_rest // 2, unsatisfied=paper_rest - paper_rest // 2)
        vote = services.vote_close(actor=self.clerk, vote=vote)
        services.vote_publish(actor=self.clerk, vote=vote)
        return vote

    def _open_vote(self, topic):
        """A work-report vote still open: every member was sent a phone link, a few have voted,
        so the roll shows who has and the office can send a new link."""
        services.topic_start(actor=self.clerk, topic=topic)
        vote, links = services.vote_open(actor=self.clerk, topic=topic, subject=SatisfactionVote.Subject.WORK_REPORT)
        for link in list(links.values())[: len(links) // 2]:
            services.ballot_cast_by_token(token=link, choice=self.rng.choice(Choice.values))
        return vote

    def _opinion_loop(self, topic):
        """监督—整改—再监督: the opinion on the health topic fails its first vote, is rectified, passes."""
        unit = self.demo.health_bureau
        topic.supervised_units.add(unit)
        services.topic_start(actor=self.clerk, topic=topic)
        services.unit_report_submit(
            actor=self.unit_user, topic=topic, unit=unit, title="关于基层医疗卫生服务能力建设情况的报告",
            text="全区基层医疗卫生服务能力稳步提升……",
        )
        opinion = services.opinion_draft(
            actor=self.clerk, topic=topic, title="关于基层医疗卫生服务能力建设情况报告的审议意见",
            text="一、加强基层医疗人才队伍建设；二、提升村卫生所服务能力。", units=[unit],
        )
        services.opinion_approve(actor=self.leader, opinion=opinion)
        services.opinion_send(actor=self.clerk, opinion=opinion, on=datetime.date(DEMO_YEAR, 4, 10))
        services.implementation_report_submit(actor=self.unit_user, opinion=opinion, unit=unit,
                                              text="已制定人才引进计划，部分村卫生所完成改造。")
        opinion.refresh_from_db()
        first = self._vote(topic, opinion, satisfied=0)
        half = first.members_total // 2
        opinion.refresh_from_db()
        for text in ("补齐村医缺口", "完成剩余村卫生所标准化改造", "建立县域医共体人才柔性流动机制"):
            item = services.rectification_item_add(actor=self.unit_user, opinion=opinion, item=text, owner_unit=unit,
                                                   due_on=datetime.date(DEMO_YEAR, 9, 30))
            services.rectification_item_update(actor=self.unit_user, item=item, status=RectificationItem.Status.DONE,
                                               progress="已完成")
        services.implementation_report_submit(actor=self.unit_user, opinion=opinion, unit=unit,
                                              text="对照整改台账逐项落实，已全部完成。")
        opinion.refresh_from_db()
        self._vote(topic, opinion, satisfied=half + 1)
        self.demo.counts["rectification_items"] = RectificationItem.objects.count()

    def _dialogues(self, year):
        series = services.dialogue_series_create(
            actor=self.clerk, body=self.body, name="代表半月谈", format=DialogueSeries.Format.HALF_MONTH, year=year,
            committee=self.committees[0] if self.committees else None,
        )
        themes = ("优化营商环境", "基层医疗服务", "农村污水治理", "义务教育均衡", "养老服务")
        for index, theme in enumerate(themes[:DIALOGUES]):
            dialogue = services.dialogue_plan(
                actor=self.clerk, series=series, theme=theme, unit=self.rng.choice(self.demo.units),
                date=datetime.date(year, 3 + index // 2, 1 if index % 2 == 0 else 16), deputies=self._deputies(6),
            )
            services.dialogue_hold(actor=self.clerk, dialogue=dialogue, record=f"围绕{theme}开展面对面交流。")
            outcome = services.dialogue_outcome_add(actor=self.clerk, dialogue=dialogue, text=f"建议持续跟踪{theme}")
            if index == 0:
                services.dialogue_outcome_to_topic_proposal(actor=self.clerk, outcome=outcome,
                                                            title=f"关于{theme}的监督议题建议", year=year + 1)
        self.demo.counts["dialogues"] = DIALOGUES

    def _letters(self, year):
        """A year of letters and visits, some with the petitioner's (masked) contact, in every state:
        closed, answered by the unit, routed and waiting, just registered."""
        letters = []
        for index in range(24):
            with_contact = index % 3 == 0
            letters.append(services.letter_register(
                actor=self.clerk, body=self.body, kind=self.rng.choice(LetterVisit.Kind.values),
                received_on=datetime.date(year, 1 + index % 12, 1 + index), theme=self.rng.choice(LETTER_THEMES),
                summary="群众反映相关问题，请求协调解决。", region=self._town(),
                name=self.rng.choice(("王女士", "陈先生", "林阿姨")) if with_contact else "",
                phone=f"139{index:08d}" if with_contact else "",
            ))
        for letter in letters[:10]:
            services.letter_route(actor=self.clerk, letter=letter, unit=self.demo.health_bureau)
        for letter in letters[:7]:
            services.letter_answer(actor=self.unit_user, letter=letter, answer="已调查核实并答复来信人。")
        for letter in letters[:5]:
            services.letter_close(actor=self.clerk, letter=letter)
        self.demo.counts["letters_visits"] = len(letters)

    def _evaluation_rectifying(self, evaluation):
        """The second evaluation failed its plenary appraisal: rectifying, with a plan and a ledger."""
        services.evaluation_advance(actor=self.clerk, evaluation=evaluation, to=WorkEvaluation.Phase.APPRAISE)
        _votes, tokens = services.appraisal_open(actor=self.clerk, evaluation=evaluation)
        for index, member_tokens in enumerate(tokens.values()):
            choice = Choice.SATISFIED if index == 0 else Choice.BASICALLY
            for token in member_tokens:
                services.ballot_cast_by_token(token=token, choice=choice)
        services.appraisal_close(actor=self.clerk, evaluation=evaluation)
        evaluation.refresh_from_db()
        services.evaluation_set_rectification_plan(
            actor=self.clerk, evaluation=evaluation,
            text="一、压缩审批时限；二、推行“一件事一次办”；三、建立企业诉求闭环处理机制。",
        )
        for text, month in (("压缩工程建设项目审批时限至50个工作日", 3), ("上线“一件事一次办”事项20项", 6)):
            services.rectification_item_add(actor=self.clerk, evaluation=evaluation, item=text,
                                            owner_unit=evaluation.unit, due_on=datetime.date(DEMO_YEAR + 1, month, 30))

    def _inquiry(self, topic):
        """A special inquiry at the topic's meeting: members' and deputies' questions, the answers,
        the bureau's handling report, published."""
        unit = self.demo.health_bureau
        inquiry = services.inquiry_create(actor=self.clerk, topic=topic, meeting=topic.meeting,
                                          date=topic.meeting_date or datetime.date(DEMO_YEAR, 10, 25))
        askers = [{"asked_by": self.demo.users["member"]}] + [{"asked_by_deputy": d} for d in self._deputies(2)]
        questions = (
            ("城区易涝点整治进度如何？汛期前能否完成？", "今年计划整治易涝点32处，汛前完成28处。"),
            ("老旧小区排水管网改造资金如何保障？", "已争取专项债资金并纳入年度预算。"),
            ("内涝预警信息如何及时送达群众？", "将通过短信和社区网格员双渠道推送预警。"),
        )
        for asker, (question, answer) in zip(askers, questions, strict=False):
            services.inquiry_question_record(actor=self.clerk, inquiry=inquiry, question=question, unit=unit,
                                             answering_official="区卫健局局长", answer=answer, **asker)
        services.inquiry_set_report_due(actor=self.clerk, inquiry=inquiry,
                                        due_on=inquiry.date + datetime.timedelta(days=60))
        services.inquiry_handling_report(actor=self.clerk, inquiry=inquiry,
                                         text="针对专题询问提出的问题，已逐项制定整改措施并明确完成时限。")
        services.inquiry_publish(actor=self.clerk, inquiry=inquiry)
        self.demo.counts["special_inquiries"] = 1
