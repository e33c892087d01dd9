"""Decision rules: how votes become a decision, by the mechanism's rule.

Pure functions over plain values, so each rule can be tested and read on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ura.mechanisms.models import DecisionRule


@dataclass(frozen=True)
class Tally:
    outcome: str | None
    counts: dict[str, int]
    eligible: int
    problem: str | None = None


def quorum_met(*, present_agencies: int, voting_agencies: int, quorum_percent: int) -> bool:
    if voting_agencies == 0:
        return False
    return present_agencies * 100 >= voting_agencies * quorum_percent


def tally(*, rule: str, votes: list[str], eligible: int, chair_outcome: str | None = None) -> Tally:
    """``votes`` holds one outcome per eligible member who voted."""
    counts = dict(Counter(votes))
    if rule == DecisionRule.CHAIR:
        if not chair_outcome:
            return Tally(None, counts, eligible, _("The chair has to state the decision."))
        return Tally(chair_outcome, counts, eligible)
    if not votes:
        return Tally(None, counts, eligible, _("No votes have been cast."))
    if rule == DecisionRule.CONSENSUS:
        if len(votes) < eligible:
            return Tally(None, counts, eligible, _("Consensus needs every eligible member present to vote."))
        if len(counts) != 1:
            return Tally(None, counts, eligible, _("There is no consensus yet."))
        return Tally(votes[0], counts, eligible)
    # Majority: more than half of the eligible members present.
    outcome, top = Counter(votes).most_common(1)[0]
    if top * 2 <= eligible:
        return Tally(None, counts, eligible, _("No outcome has a majority of the members present."))
    return Tally(outcome, counts, eligible)
