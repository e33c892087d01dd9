"""Replays one mechanism's history, from 2019 to today, through the real services.

Each person's case is a generator that yields the moment of its next step; a small
event loop advances the simulated clock to that moment and resumes it. Panel meetings
are shared by the cases on their agenda, so the cases of one mechanism are replayed
together, in the order things happened. Because every step is a service call, each
case holds exactly the records its stage implies, with its timeline and audit events.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ura.cases import services as cases
from ura.cases.models import Case, Deconfliction, InformationRequest, Track
from ura.cases.workflow import Stage
from ura.governance.services import consent_record
from ura.mechanisms.demo import plans, texts
from ura.mechanisms.demo.bodies import MechanismSpec
from ura.mechanisms.demo.clock import SimulatedClock
from ura.mechanisms.demo.people import Household, make_person, make_referral, new_household
from ura.mechanisms.models import Agency, AgencyType, DecisionRule, Mechanism
from ura.panels import services as panels
from ura.panels.models import AgendaItem, Meeting
from ura.support import services as support
from ura.support.models import FundingSource, Intervention, InterventionStatus, InterventionType, PostExitOutcome

S = Stage
Steps = Generator[dt.datetime, None, Any]
MEETING_EVERY = dt.timedelta(days=14)
ACTIVE = (InterventionStatus.ACTIVE, InterventionStatus.PLANNED)

# Which member agency delivers each kind of intervention (the CSO when the mechanism has none).
DELIVERED_BY = {"socio-economic": "social", "self-employment-grant": "social", "education": "education",
                "school-registration": "school", "theological": "religious", "health-care": "health",
                "psychiatric": "health", "police-contact": "police"}
# Days between recorded sessions (weekly activities are recorded fortnightly, to keep the demo small).
SESSION_EVERY = {"mentoring": 14, "recreation-culture": 14, "psychological": 14, "family-counselling": 28,
                 "vocational-training": 14, "employment": 21, "catch-up-learning": 14, "parenting-workshop": 14}
SECTOR_AGENCY_TYPES = {"education": (AgencyType.SCHOOL,), "police": (AgencyType.POLICE,),
                       "health": (AgencyType.HEALTH,), "social": (AgencyType.SOCIAL,), "cso": (AgencyType.CSO,),
                       "justice": (AgencyType.PROBATION, AgencyType.PRISON)}
# Personas who may refer, in the order they are asked to (the teacher first).
REFERRING = ("referrer", "police", "panel2", "panel3", "panel4", "provider")
ANSWERING = ("panel", "panel2", "panel3", "panel4", "provider", "police")


@dataclass
class PersonPlan:
    index: int
    track: str
    person: dict[str, Any]
    referral: dict[str, Any]
    referred_at: dt.datetime
    episodes: list[plans.Episode]
    rereferral: str


class Story:
    def __init__(self, *, spec: MechanismSpec, mechanism: Mechanism, agencies: dict[str, Agency],
                 staff: dict[str, Any], rng: random.Random, clock: SimulatedClock, end: dt.datetime,
                 progress: Callable[[float], None]) -> None:
        self.spec, self.mechanism, self.agencies, self.staff = spec, mechanism, agencies, staff
        self.rng, self.clock, self.end, self.progress = rng, clock, end, progress
        self.start = clock.now
        self.end_date = timezone.localtime(end - dt.timedelta(minutes=1)).date()
        self.coordinator, self.chair = staff["coordinator"], staff["panel"]
        self.police, self.provider = staff["police"], staff["provider"]
        self.users = {u.pk: u for u in staff.values()}
        self.types = {t.code: t for t in InterventionType.objects.all()}
        self.panel = panels.panel_members(mechanism)
        agency_of = {s.persona: agencies[s.agency] for s in spec.staff}
        self.agency_of = agency_of
        own = agency_of["coordinator"].pk
        self.answerers = {agency_of[p].pk: staff[p] for p in reversed(ANSWERING)}
        self.askable = [(key, a) for key, a in agencies.items() if a.pk in self.answerers and a.pk != own]
        self.heap: list[tuple[dt.datetime, int, Steps]] = []
        self.seq = itertools.count()
        self.meetings: dict[dt.date, Meeting] = {}
        self.household: Household | None = None
        first = plans.HISTORY_STARTS
        while first.weekday() != spec.meeting_weekday:
            first += dt.timedelta(days=1)
        self.first_meeting_day = first

    # The event loop ---------------------------------------------------------------------------------------

    def play(self, assignments: Iterable[tuple[int, plans.Assignment]]) -> None:
        for index, assignment in assignments:
            self.spawn(self.life(self.plan(index, assignment)))
        self.spawn(self.upcoming_meetings())
        span = (self.end - self.start).total_seconds()
        while self.heap:
            when, _seq, steps = heapq.heappop(self.heap)
            if when > self.end:
                continue  # the future has not happened yet
            self.clock.now = max(self.clock.now, when)
            self.progress((self.clock.now - self.start).total_seconds() / span)
            self.spawn(steps)

    def spawn(self, steps: Steps) -> None:
        try:
            when = next(steps)
        except StopIteration:
            return
        when = max(when, self.clock.now + dt.timedelta(minutes=1))
        heapq.heappush(self.heap, (when, next(self.seq), steps))

    # Time -------------------------------------------------------------------------------------------------

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.clock.now).date()

    def at(self, day: dt.date, *, backward: bool = False) -> dt.datetime:
        """A moment in office hours on ``day``, or on the nearest working day."""
        while day.weekday() >= 5:
            day += dt.timedelta(days=-1 if backward else 1)
        minute = self.rng.randint(8 * 60 + 15, 16 * 60 + 20)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))

    def after(self, low: int, high: int) -> dt.datetime:
        return self.at(self.today + dt.timedelta(days=self.rng.randint(low, high)))

    def near_end(self, days: int) -> dt.datetime:
        """For the last step of a case that is open today: shortly before now."""
        when = self.at(self.end_date - dt.timedelta(days=self.rng.randint(0, days)), backward=True)
        if when > self.end:
            when = self.end - dt.timedelta(minutes=self.rng.randint(5, 90))
        return max(when, self.clock.now + dt.timedelta(minutes=5))

    def slot_after(self, moment: dt.datetime) -> dt.datetime:
        """The first panel meeting of the mechanism's fortnightly series at or after ``moment``."""
        days = (timezone.localtime(moment).date() - self.first_meeting_day).days
        day = self.first_meeting_day + dt.timedelta(days=max(0, -(-days // 14)) * 14)
        slot = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        return slot if slot >= moment else timezone.make_aware(
            dt.datetime.combine(day + MEETING_EVERY, dt.time(10, 0)))

    # Planning one person ----------------------------------------------------------------------------------

    def plan(self, index: int, assignment: plans.Assignment) -> PersonPlan:
        rng, spec = self.rng, self.spec
        reintegration = rng.random() < spec.reintegration_share
        track = Track.REINTEGRATION if reintegration else Track.PREVENTION
        episodes = [plans.episode_plan(rng, spec, target, concern=assignment.rereferral == "post_exit" and not i)
                    for i, target in enumerate(assignment.targets)]
        if assignment.rereferral == "later":
            episodes[1].gap_days = rng.randint(*plans.REREFER_GAP)
        referred_on = min(plans.referral_date(rng, episodes, spec, self.end_date), self.end_date)
        household, mother = None, False
        if reintegration and self.mechanism.has_feature("households"):
            if self.household is not None and self.household.children_left > 0:
                household = self.household
                household.children_left -= 1
            elif rng.random() < 0.5:
                household = self.household = new_household(rng, spec)
                mother = True
        person = make_person(rng, spec, referred_on=referred_on, track=track, household=household, mother=mother)
        referred_at = self.at(referred_on, backward=True)
        if referred_at > self.end:
            referred_at = self.end - dt.timedelta(minutes=rng.randint(5, 120))
        return PersonPlan(index=index, track=track, person=person, referral=make_referral(rng, spec, track=track),
                          referred_at=referred_at, episodes=episodes, rereferral=assignment.rereferral)

    def referrer(self, sector: str) -> tuple[Any, str]:
        """Who submits the referral: a member of the sector's agency, or the coordinator on someone's behalf."""
        types = SECTOR_AGENCY_TYPES.get(sector, ())
        for persona in REFERRING:
            if self.agency_of[persona].type in types:
                return self.staff[persona], ""
        names = texts.REFERRER_NAMES.get(sector, texts.REFERRER_NAMES["other"])
        return self.coordinator, self.rng.choice(names)

    # One person's story -----------------------------------------------------------------------------------

    def life(self, p: PersonPlan) -> Steps:
        yield p.referred_at
        actor, on_behalf_of = self.referrer(p.referral["source_sector"])
        case = cases.referral_submit(actor=actor, mechanism=self.mechanism, person=p.person,
                                     referral={**p.referral, "referrer_name": on_behalf_of},
                                     submission_key=f"demo-{self.spec.slug}-{p.index}", referred_on=self.today)
        for i, ep in enumerate(p.episodes):
            if i and p.rereferral == "later":
                yield self.rereferral_time(ep)
                referral = make_referral(self.rng, self.spec, track=p.track)
                referral.pop("immediate_danger")
                case = cases.case_rerefer(actor=self.coordinator, previous=self.fresh(case), referral=referral,
                                          submission_key=f"demo-{self.spec.slug}-{p.index}-{i + 1}")
            elif i:
                # The concern at the post-exit review opened the next episode.
                case = Case.objects.filter(previous=case).first()
                if case is None:
                    return
                if p.track == Track.REINTEGRATION:
                    case = cases.case_update(case=case, actor=self.coordinator, expected_version=case.version,
                                             changes={"track": p.track})
            case = yield from self.episode(case, ep, p)

    def rereferral_time(self, ep: plans.Episode) -> dt.datetime:
        """When a new concern about a closed case's person arrives: late enough for an open episode
        to be fresh today, early enough for an ended one to be over."""
        room = self.at(self.end_date - dt.timedelta(
            days=plans.with_margin(plans.budget_days(ep, self.spec)) + self.rng.randint(0, 5)), backward=True)
        if ep.target in plans.OPEN_TARGETS:
            return max(self.after(90, 120), room)
        planned = self.after(ep.gap_days, ep.gap_days + 10)
        return min(planned, room) if room > self.clock.now else planned

    def episode(self, case: Case, ep: plans.Episode, p: PersonPlan) -> Steps:
        stage, route = plans.ending(ep)
        if stage == S.REFERRED:
            return case
        last = stage == S.SCREENING
        yield self.near_end(6) if last and not ep.pause else self.after(1, plans.SCREEN_START)
        case = self.move(case, "start_screening")
        check = cases.deconfliction_request(case=case, actor=self.coordinator)
        if last and not ep.pause:
            return case  # waiting for the police
        yield self.near_end(3) if last else self.after(1, plans.POLICE)
        police_led = route == "deconfliction"
        self.police_answer(check, "pause" if ep.pause else "police_led" if police_led else "proceed")
        if last:
            return case
        if ep.pause:
            yield self.after(5, plans.PAUSE)
            self.police_answer(check, "police_led" if police_led else "proceed")
        yield self.after(0, plans.GATEWAY)
        if police_led:
            return (yield from self.ended(self.move(case, "hand_to_police"), ep))
        if stage == S.SIGNPOSTED:
            return (yield from self.ended(self.move(case, "signpost", self.rng.choice(texts.SIGNPOSTED_TO)), ep))
        if stage == S.NO_FURTHER_ACTION and route == "screening":
            return (yield from self.ended(self.move(case, "screen_out", self.rng.choice(texts.SCREEN_OUT)), ep))
        case = self.move(case, "accept")
        case = yield from self.case_review(case, last=stage == S.CASE_REVIEW)
        if stage == S.CASE_REVIEW:
            return case
        if route == "case_review":
            if stage == S.POLICE_LED:
                case = self.move(case, "escalate", self.rng.choice(texts.ESCALATIONS))
            else:
                case = self.move(case, "refer_onward", self.rng.choice(texts.ONWARD_TO))
            return (yield from self.ended(case, ep))
        return (yield from self.panel_and_support(case, ep, p, stage, route))

    def panel_and_support(self, case: Case, ep: plans.Episode, p: PersonPlan, stage: str, route: str) -> Steps:
        if ep.defer:
            yield from self.decide(self.to_panel(case), "defer")
            yield self.after(10, 20)
        if stage == S.PANEL:
            yield self.near_end(10)
            self.to_panel(case, upcoming=True)
            return case
        outcome = "adopt"
        if route == "panel":
            outcome = {S.NO_FURTHER_ACTION: "no_further_action", S.ONWARD_REFERRED: "refer_elsewhere",
                       S.POLICE_LED: "escalate"}[stage]
        yield from self.decide(self.to_panel(case, latest=stage == S.CONSENT), outcome)
        if outcome != "adopt":
            return (yield from self.ended(self.fresh(case), ep))
        if self.mechanism.consent_required:
            if stage == S.CONSENT:
                return case
            yield self.after(3, plans.CONSENT_DAYS)
            self.consent(case, declined=stage == S.DECLINED)
            if stage == S.DECLINED:
                return (yield from self.ended(self.fresh(case), ep))
        return (yield from self.support(case, ep, p, stage, route))

    def support(self, case: Case, ep: plans.Episode, p: PersonPlan, stage: str, route: str) -> Steps:
        self.add_interventions(case, p, self.rng.randint(1, 3))
        for _ in range(ep.reviews):
            yield from self.review_to_continue(case, p)
        if ep.returns:
            yield from self.review(case, "return")
            self.stop_interventions(case, InterventionStatus.STOPPED)
            yield self.after(7, 21)
            case = yield from self.case_review(case, last=False)
            yield from self.decide(self.to_panel(case), "adopt")
            if self.mechanism.consent_required:
                yield self.after(3, 10)
                self.consent(case, declined=False)
            self.add_interventions(case, p, self.rng.randint(1, 2))
        if stage in (S.SUPPORT, S.REVIEW):
            # Still supported today: reviewed at the mechanism's interval until now.
            while self.clock.now + dt.timedelta(days=plans.REVIEW_CYCLE + 20) < self.end:
                yield from self.review_to_continue(case, p)
        if stage == S.SUPPORT:
            return self.fresh(case)
        if stage == S.REVIEW:
            yield self.near_end(10)
            self.to_panel(case, upcoming=True)
            return case
        if stage == S.POLICE_LED and route == "support":
            yield self.after(20, 60)
            case = self.move(case, "escalate", self.rng.choice(texts.ESCALATIONS))
            self.stop_interventions(case, InterventionStatus.STOPPED)
            return (yield from self.ended(case, ep))
        final = {S.ONWARD_REFERRED: "refer_elsewhere", S.POLICE_LED: "escalate"}.get(stage, "exit")
        yield from self.review(case, final)
        self.stop_interventions(case, InterventionStatus.COMPLETED if final == "exit" else InterventionStatus.STOPPED)
        if final != "exit":
            return (yield from self.ended(self.fresh(case), ep))
        return (yield from self.after_exit(self.fresh(case), ep))

    def after_exit(self, case: Case, ep: plans.Episode) -> Steps:
        reviews = list(case.post_exit_reviews.order_by("due_on"))
        for i, review in enumerate(reviews):
            yield self.at(review.due_on + dt.timedelta(days=self.rng.randint(0, 10)))
            concern = ep.concern and i == 0
            support.post_exit_review_record(
                actor=self.coordinator, review=review, held_on=self.today,
                outcome=PostExitOutcome.CONCERN if concern else PostExitOutcome.NO_CONCERN,
                notes=texts.POST_EXIT_CONCERN if concern else self.rng.choice(texts.POST_EXIT_NOTES))
            if concern:
                self.spawn(self.wrap_up(case, reviews[i + 1:]))
                return case
        if ep.target == S.CLOSED:
            yield self.after(1, 20)
            case = self.move(case, "close")
        return case

    def wrap_up(self, case: Case, reviews: list[Any]) -> Steps:
        """The earlier episode's remaining post-exit reviews, then its closure."""
        for review in reviews:
            yield self.at(review.due_on + dt.timedelta(days=self.rng.randint(0, 10)))
            support.post_exit_review_record(actor=self.coordinator, review=review, held_on=self.today,
                                            outcome=PostExitOutcome.NO_CONCERN, notes=texts.WRAP_UP_NOTE)
        yield self.after(1, 20)
        self.move(case, "close")

    def ended(self, case: Case, ep: plans.Episode) -> Steps:
        if ep.target == S.CLOSED:
            yield self.after(14, plans.CLOSE_AFTER)
            case = self.move(case, "close_ended")
        return case

    # Steps ------------------------------------------------------------------------------------------------

    def fresh(self, case: Case) -> Case:
        return Case.objects.select_related("mechanism", "person").get(pk=case.pk)

    def move(self, case: Case, transition: str, reason: str = "") -> Case:
        return cases.case_transition(case=case, transition=transition, actor=self.coordinator, reason=reason)

    def police_answer(self, check: Deconfliction, answer: str) -> None:
        cases.deconfliction_answer(deconfliction=check, actor=self.police, answer=answer,
                                   police_note=texts.POLICE_NOTES[answer])

    def case_review(self, case: Case, *, last: bool) -> Steps:
        """Information requests to member agencies and a needs and risk summary.

        For a case still in review today the requests go out a few weeks ago, so some are overdue
        and some still have time.
        """
        soon = self.after(0, 3)
        yield max(soon, self.at(self.end_date - dt.timedelta(days=self.rng.randint(15, 50)))) if last else soon
        rng = self.rng
        asked = rng.sample(self.askable, k=min(len(self.askable), rng.randint(1, 3)))
        sent = [self.ask(case, key, agency) for key, agency in asked]
        case = self.fresh(case)
        cases.case_update(case=case, actor=self.coordinator, expected_version=case.version, changes={
            "summary": case.concern, "needs_summary": rng.choice(texts.NEEDS), "risk_summary": rng.choice(texts.RISKS)})
        unanswered = rng.randint(1, len(sent)) if last else 0
        for request in sent[:len(sent) - unanswered]:
            yield self.after(2, 10)
            self.answer(request)
        if last:
            yield self.near_end(4)
            key, agency = rng.choice(self.askable)
            self.ask(case, key, agency)
        else:
            yield self.after(0, 2)
        return self.fresh(case)

    def ask(self, case: Case, key: str, agency: Agency) -> InformationRequest:
        questions = texts.QUESTIONS.get(key) or texts.QUESTIONS["social"]
        return cases.information_request_create(
            case=self.fresh(case), actor=self.coordinator, to_agency=agency, question=self.rng.choice(questions),
            purpose=texts.PURPOSE, legal_basis=self.rng.choice(self.spec.legal_basis),
            due_on=self.today + dt.timedelta(days=self.rng.randint(10, 14)))

    def answer(self, request: InformationRequest) -> None:
        actor, rng = self.answerers[request.to_agency_id], self.rng
        if rng.random() < 0.1:
            cases.information_request_answer(request=request, actor=actor, refusal_reason=rng.choice(texts.REFUSALS))
        else:
            cases.information_request_answer(request=request, actor=actor, answer=rng.choice(texts.ANSWERS))

    def to_panel(self, case: Case, *, upcoming: bool = False, latest: bool = False) -> AgendaItem:
        """Put the case on a meeting's agenda: the next one, the one after today, or the last one before today."""
        soonest = self.clock.now + dt.timedelta(days=3)
        slot = self.slot_after(self.end + dt.timedelta(days=1) if upcoming else soonest)
        if latest:
            last_before_today = self.slot_after(self.end - dt.timedelta(days=15))
            if soonest <= last_before_today <= self.end - dt.timedelta(days=1):
                slot = last_before_today
        return panels.agenda_add(actor=self.coordinator, meeting=self.meeting(slot), case=self.fresh(case))

    def meeting(self, slot: dt.datetime) -> Meeting:
        meeting = self.meetings.get(slot.date())
        if meeting is None:
            meeting = panels.meeting_create(actor=self.coordinator, mechanism=self.mechanism, starts_at=slot,
                                            location=self.spec.meeting_place)
            self.meetings[slot.date()] = meeting
            self.spawn(self.hold(meeting))
        return meeting

    def hold(self, meeting: Meeting) -> Steps:
        """Attendance before the meeting starts; the minutes once every item is decided."""
        yield meeting.starts_at - dt.timedelta(minutes=10)
        present = [m for m in self.panel if m.user_id == self.chair.pk or self.rng.random() > 0.12]
        voting = {m.agency_id for m in self.panel if m.agency.votes_on_panel}
        here = {m.agency_id for m in present if m.agency.votes_on_panel}
        if len(here) * 100 < len(voting) * self.mechanism.quorum_percent:
            present = list(self.panel)
        panels.attendance_record(actor=self.coordinator, meeting=meeting, present_ids={m.pk for m in present})
        yield meeting.starts_at + dt.timedelta(hours=4)
        if not meeting.items.filter(decision__isnull=True).exists():
            panels.meeting_close(actor=self.coordinator, meeting=Meeting.objects.get(pk=meeting.pk),
                                 minutes=self.rng.choice(texts.MINUTES))

    def decide(self, item: AgendaItem, outcome: str) -> Steps:
        """Conflicts, votes and the decision under the mechanism's rule, at the meeting."""
        yield item.meeting.starts_at + dt.timedelta(minutes=min(10 * item.position, 200))
        item = AgendaItem.objects.select_related("meeting__mechanism", "case").get(pk=item.pk)
        rng, rule = self.rng, self.mechanism.decision_rule
        eligible = panels.eligible_voters(item)
        others = [m for m in eligible if m.user_id != self.chair.pk]
        if len(eligible) > 2 and others and rng.random() < 0.06:
            panels.conflict_declare(actor=self.users[rng.choice(others).user_id], item=item,
                                    reason="Knows the family personally")
            eligible = panels.eligible_voters(item)
        dissent = rule == DecisionRule.MAJORITY and len(eligible) >= 3 and rng.random() < 0.2
        other_outcome = next(o for o in ("defer", "no_further_action", "continue", "adjust")
                             if o in panels.outcomes_for(item) and o != outcome)
        # Where the chair decides after discussion, members do not vote.
        for i, member in enumerate(eligible if rule != DecisionRule.CHAIR else ()):
            vote = other_outcome if dissent and i == len(eligible) - 1 else outcome
            panels.vote_cast(actor=self.users[member.user_id], item=item, outcome=vote)
        panels.decision_record(actor=self.chair, item=item, reasons=rng.choice(texts.DECISION_REASONS[outcome]),
                               chair_outcome=outcome if rule == DecisionRule.CHAIR else None)

    def review_to_continue(self, case: Case, p: PersonPlan) -> Steps:
        """A periodic review that keeps the support going, adding to the package when it has run out."""
        running = Intervention.objects.filter(case_id=case.pk, status__in=ACTIVE).exists()
        outcome = "adjust" if not running or self.rng.random() < 0.2 else "continue"
        yield from self.review(case, outcome)
        if outcome == "adjust":
            self.add_interventions(case, p, 1)

    def review(self, case: Case, outcome: str) -> Steps:
        yield self.after(70, 84)
        yield from self.decide(self.to_panel(case), outcome)

    def consent(self, case: Case, *, declined: bool) -> None:
        case = self.fresh(case)
        person = case.person
        minor = bool(person.is_minor_on(self.today))
        consent_record(actor=self.coordinator, case=case, given_by="guardian" if minor else "person",
                       giver_name=(person.guardian_name or "Parent") if minor else person.full_name,
                       relationship=(person.guardian_relationship or "parent") if minor else "",
                       decision="declined" if declined else "given", scope=texts.CONSENT_SCOPE,
                       decided_on=self.today)

    def add_interventions(self, case: Case, p: PersonPlan, count: int) -> None:
        case = self.fresh(case)
        running = set(case.interventions.filter(status__in=ACTIVE).values_list("type__code", flat=True))
        for code in [c for c in self.menu(case, p) if c not in running][:count]:
            agency = self.agencies.get(DELIVERED_BY.get(code, "cso")) or self.agencies["cso"]
            funding, funder, cost = self.funding(agency)
            intervention = support.intervention_add(
                actor=self.coordinator, case=case, type=self.types[code], provider=agency,
                goal=texts.GOALS[code], schedule=self.rng.choice(texts.SCHEDULES), starts_on=self.today,
                ends_on=self.today + dt.timedelta(days=self.rng.randint(90, 180)), funding_source=funding,
                funder=funder, cost=cost)
            self.spawn(self.deliver(intervention, sessions=agency.pk == self.agency_of["provider"].pk))

    def menu(self, case: Case, p: PersonPlan) -> list[str]:
        """The interventions that suit this person, most fitting first."""
        rng, person = self.rng, case.person
        minor = bool(person.is_minor_on(self.today))
        if p.track == Track.REINTEGRATION and minor:
            options = ["school-registration", "catch-up-learning", "psychological", "recreation-culture"]
        elif p.track == Track.REINTEGRATION:
            options = ["socio-economic", "psychological", "theological", "vocational-training"]
            options += ["parenting-workshop", "self-employment-grant"] if person.sex == "f" else ["employment"]
        elif minor:
            options = ["mentoring", "family-counselling", "education", "recreation-culture", "psychological"]
        else:
            options = ["mentoring", "psychological", "employment", "vocational-training", "theological"]
        if self.mechanism.has_feature("prison_visits") and rng.random() < 0.2:
            options.append("police-contact")
        head, tail = options[:1], options[1:]
        rng.shuffle(tail)
        return head + tail

    def funding(self, agency: Agency) -> tuple[str, str, Decimal]:
        rng = self.rng
        if agency.type == AgencyType.CSO:
            roll = rng.random()
            if roll < 0.55:
                return FundingSource.DONOR, rng.choice(self.spec.funders), Decimal(rng.randint(6, 48) * 50)
            if roll < 0.9:
                return FundingSource.MUNICIPAL, "", Decimal(rng.randint(4, 30) * 50)
            return FundingSource.CSO, agency.name, Decimal(rng.randint(2, 10) * 50)
        if agency.type in (AgencyType.SOCIAL, AgencyType.HEALTH):
            return rng.choice([FundingSource.MUNICIPAL, FundingSource.NATIONAL]), "", Decimal(rng.randint(2, 30) * 50)
        return FundingSource.IN_KIND, "", Decimal(0)

    def deliver(self, intervention: Intervention, *, sessions: bool) -> Steps:
        """Sessions while support lasts; completion at the planned end."""
        every = SESSION_EVERY.get(self.types_by_pk(intervention.type_id), 14)
        while True:
            if sessions:
                yield self.after(every - 1, every + 2)
            else:
                yield self.at(intervention.ends_on or self.today)
            intervention = Intervention.objects.select_related("case__mechanism", "type").get(pk=intervention.pk)
            if intervention.status not in ACTIVE or intervention.case.stage not in (S.SUPPORT, S.REVIEW):
                return
            if intervention.ends_on is None or self.today >= intervention.ends_on:
                support.intervention_set_status(actor=self.coordinator, intervention=intervention,
                                                status=InterventionStatus.COMPLETED)
                return
            support.session_record(actor=self.provider, intervention=intervention, held_on=self.today,
                                   attended=self.rng.random() < 0.87, minutes_spent=self.rng.choice((45, 60, 60, 90)),
                                   progress=self.rng.choice(texts.SESSION_NOTES))

    def types_by_pk(self, pk: int) -> str:
        return next(code for code, t in self.types.items() if t.pk == pk)

    def stop_interventions(self, case: Case, status: str) -> None:
        for intervention in (Intervention.objects.filter(case_id=case.pk, status__in=ACTIVE)
                             .select_related("case__mechanism", "type")):
            support.intervention_set_status(actor=self.coordinator, intervention=intervention, status=status)

    def upcoming_meetings(self) -> Steps:
        """The next two meetings are always planned, with or without cases on the agenda yet."""
        yield self.near_end(12)
        first = self.slot_after(self.end + dt.timedelta(days=1))
        self.meeting(first)
        self.meeting(self.slot_after(first + dt.timedelta(days=1)))
