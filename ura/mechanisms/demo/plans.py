"""Who is referred where, and how each episode ends: pure planning, no database.

Every person gets a plan: one or two episodes, each with the stage it should be in
today (its *target*) and the route it takes there. The story replays the plan through
the services; ``budget_days`` is an upper bound of how long the route takes, so a
case meant to be open today is referred late enough to still be open, and one meant
to be over is referred early enough to be over.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ura.cases.workflow import Stage
from ura.mechanisms.demo.bodies import MECHANISMS, MechanismSpec
from ura.mechanisms.templates import TEMPLATES

S = Stage
TARGETS: tuple[str, ...] = (
    S.REFERRED, S.SCREENING, S.CASE_REVIEW, S.PANEL, S.CONSENT, S.SUPPORT, S.REVIEW, S.EXITED, S.CLOSED,
    S.SIGNPOSTED, S.NO_FURTHER_ACTION, S.POLICE_LED, S.ONWARD_REFERRED, S.DECLINED,
)
OPEN_TARGETS = frozenset({S.REFERRED, S.SCREENING, S.CASE_REVIEW, S.PANEL, S.CONSENT, S.SUPPORT, S.REVIEW,
                          S.EXITED})
CONSENT_ONLY = frozenset({S.CONSENT, S.DECLINED})
# About a quarter of the persons have an open case today; the rest are history.
WEIGHTS = {S.REFERRED: 3, S.SCREENING: 4, S.CASE_REVIEW: 5, S.PANEL: 3, S.CONSENT: 3, S.SUPPORT: 9,
           S.REVIEW: 3, S.EXITED: 5, S.CLOSED: 40, S.SIGNPOSTED: 12, S.NO_FURTHER_ACTION: 13, S.POLICE_LED: 4,
           S.ONWARD_REFERRED: 7, S.DECLINED: 3}
# Stages an episode opened by a post-exit concern may end in: one that cannot linger on
# unnaturally if the earlier episode took less time than planned.
AFTER_CONCERN = frozenset({S.SUPPORT, S.CLOSED, S.SIGNPOSTED, S.NO_FURTHER_ACTION, S.POLICE_LED,
                           S.ONWARD_REFERRED})
HISTORY_STARTS = dt.date(2019, 1, 7)

# Upper bounds, in days, of each part of the route (the story draws below them).
SCREEN_START, POLICE, PAUSE, GATEWAY = 3, 6, 14, 2
CASE_REVIEW_DAYS = 35
MEETING_WAIT = 17  # a meeting every 14 days, at least 3 days after the case is put on the agenda
CONSENT_DAYS = 14
REVIEW_CYCLE = 84 + 3 + MEETING_WAIT
CLOSE_AFTER = 60
REREFER_GAP = (120, 700)


@dataclass
class Episode:
    target: str
    # How the episode gets there: for ended stages the step that ends it ("screening", "deconfliction",
    # "case_review", "panel", "review", "support"); for a closed case the stage it went through.
    via: str = ""
    pause: bool = False  # the police first answer "pause"
    defer: bool = False  # the panel first defers for more information
    returns: bool = False  # the first review sends the case back through the process
    reviews: int = 0  # reviews that continue or adjust support before the last one
    post_exit_days: int = 0  # how long ago an exited case left support
    concern: bool = False  # a concern at the first post-exit review opens the next episode
    gap_days: int = 0  # before a later re-referral of the same person


@dataclass
class Assignment:
    mechanism: str
    targets: tuple[str, ...]  # one per episode
    rereferral: str = ""  # "", "post_exit" or "later"


def compatible(spec: MechanismSpec, target: str) -> bool:
    return target not in CONSENT_ONLY or TEMPLATES[spec.template].consent_required


def assign(persons: int, seed: int) -> list[Assignment]:
    """Which mechanism each person is referred to, and where their episodes end.

    The first assignments cover every stage (and both kinds of re-referral) so even a
    small demo shows each; the rest follow the mechanisms' shares and the stage weights.
    """
    rng = random.Random(f"{seed}:assign")
    out: list[Assignment] = []
    for i, target in enumerate(TARGETS):
        options = [m for m in MECHANISMS if compatible(m, target)]
        out.append(Assignment(options[i % len(options)].slug, (target,)))
    out.append(Assignment("gjilan", (S.EXITED, S.SUPPORT), "post_exit"))
    out.append(Assignment("novi-pazar", (S.CLOSED, S.SUPPORT), "later"))
    out = out[:persons]
    while len(out) < persons:
        spec = rng.choices(MECHANISMS, weights=[m.share for m in MECHANISMS])[0]
        targets = [t for t in TARGETS if compatible(spec, t)]
        target = rng.choices(targets, weights=[WEIGHTS[t] for t in targets])[0]
        roll = rng.random()
        if roll < 0.04:
            # The new episode starts at the post-exit review, so it is one that may take long.
            after = target if target in AFTER_CONCERN else S.SUPPORT
            out.append(Assignment(spec.slug, (S.EXITED, after), "post_exit"))
        elif roll < 0.09:
            out.append(Assignment(spec.slug, (S.CLOSED, target), "later"))
        else:
            out.append(Assignment(spec.slug, (target,)))
    return out


def episode_plan(rng: random.Random, spec: MechanismSpec, target: str, *, concern: bool = False) -> Episode:
    """Draw the route of one episode towards ``target``."""
    ep = Episode(target=target, pause=rng.random() < 0.1, defer=rng.random() < 0.1)
    consent = TEMPLATES[spec.template].consent_required
    if target == S.CLOSED:
        ended = [S.SIGNPOSTED, S.NO_FURTHER_ACTION, S.ONWARD_REFERRED, S.POLICE_LED]
        ended += [S.DECLINED] if consent else []
        ep.via = "exit" if rng.random() < 0.55 else rng.choice(ended)
        if ep.via == "exit":
            ep.reviews = rng.randint(0, 3)
            ep.returns = rng.random() < 0.1
        else:
            ep.via = _ended_route(rng, ep.via) or ep.via
    elif target == S.NO_FURTHER_ACTION:
        ep.via = rng.choice(["screening", "panel"])
    elif target == S.POLICE_LED:
        ep.via = rng.choice(["deconfliction", "deconfliction", "case_review", "panel", "support", "review"])
    elif target == S.ONWARD_REFERRED:
        ep.via = rng.choice(["case_review", "panel", "panel", "review"])
    elif target in (S.SUPPORT, S.REVIEW):
        ep.reviews = rng.randint(0, 1)  # at least; the story reviews it until today
        ep.returns = rng.random() < 0.1
    elif target == S.EXITED:
        ep.reviews = rng.randint(0, 2)
        ep.concern = concern
        first_review = min(TEMPLATES[spec.template].post_exit_review_months)
        # With a concern the episode's story ends at the first post-exit review.
        ep.post_exit_days = first_review * 31 + 10 if concern else rng.randint(20, 300)
    if target == S.SCREENING:
        ep.pause = rng.random() < 0.3
    return ep


def _ended_route(rng: random.Random, stage: str) -> str:
    """For a case closed after an ended stage: the route to that stage, encoded as ``stage:route``."""
    routes = {S.NO_FURTHER_ACTION: ["screening", "panel"], S.POLICE_LED: ["deconfliction", "panel"],
              S.ONWARD_REFERRED: ["case_review", "panel"], S.SIGNPOSTED: ["screening"], S.DECLINED: ["consent"]}
    return f"{stage}:{rng.choice(routes[stage])}"


def ending(ep: Episode) -> tuple[str, str]:
    """The stage the episode ends in before any closure, and the route to it."""
    if ep.target == S.CLOSED:
        if ep.via == "exit":
            return S.EXITED, "exit"
        stage, _, route = ep.via.partition(":")
        return stage, route
    return ep.target, ep.via


def budget_days(ep: Episode, spec: MechanismSpec) -> int:
    """An upper bound of the days from referral to the episode's last step."""
    t = TEMPLATES[spec.template]
    stage, route = ending(ep)
    days = 0
    if stage == S.REFERRED:
        return 0
    days += SCREEN_START
    if stage == S.SCREENING:
        return days + (POLICE if ep.pause else 0)
    days += POLICE + GATEWAY + (PAUSE if ep.pause else 0)
    closing = CLOSE_AFTER if ep.target == S.CLOSED else 0
    if route in ("screening", "deconfliction") or stage == S.SIGNPOSTED:
        return days + closing
    days += CASE_REVIEW_DAYS
    if stage == S.CASE_REVIEW or route == "case_review":
        return days + closing
    days += MEETING_WAIT + ((CASE_REVIEW_DAYS + MEETING_WAIT) if ep.defer else 0)
    if stage == S.PANEL or route == "panel":
        return days + closing
    if t.consent_required:
        if stage == S.CONSENT:
            return days
        days += CONSENT_DAYS
        if stage == S.DECLINED:
            return days + closing
    days += ep.reviews * REVIEW_CYCLE
    if ep.returns:
        days += REVIEW_CYCLE + CASE_REVIEW_DAYS + MEETING_WAIT + (CONSENT_DAYS if t.consent_required else 0)
    if stage == S.SUPPORT:
        return days + 30
    if stage == S.REVIEW:
        return days + 60
    days += REVIEW_CYCLE
    if stage in (S.ONWARD_REFERRED, S.POLICE_LED):
        return days + closing
    if ep.target == S.EXITED:
        return days + ep.post_exit_days
    # Closed after exit: every post-exit review held, then closure.
    return days + max(t.post_exit_review_months) * 31 + 10 + 20


def with_margin(days: int) -> int:
    """Room for weekends and meeting days the bounds above do not count."""
    return days + days // 7 + 5


def person_budget(episodes: list[Episode], spec: MechanismSpec) -> int:
    return sum(with_margin(budget_days(ep, spec)) + (ep.gap_days if i else 0) for i, ep in enumerate(episodes))


def referral_date(rng: random.Random, episodes: list[Episode], spec: MechanismSpec, today: dt.date) -> dt.date:
    """Late enough for an open last episode to be open today, early enough for an ended one to be over."""
    budget = person_budget(episodes, spec)
    if episodes[-1].target in OPEN_TARGETS:
        return today - dt.timedelta(days=budget + rng.randint(0, 5))
    latest = today - dt.timedelta(days=budget + 1)
    span = (latest - HISTORY_STARTS).days
    if span <= 0:
        return HISTORY_STARTS
    # Referrals grow over the years, as the mechanisms become known: density rises linearly, 1 to 3.
    share = (-1 + (1 + 8 * rng.random()) ** 0.5) / 2
    return HISTORY_STARTS + dt.timedelta(days=int(share * span))
