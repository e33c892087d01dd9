"""Person X's household in the DPRRP demo, at several stages (one demo load: it is slow)."""

from __future__ import annotations

from ura.mechanisms.demo import demo_load
from ura.reintegration.models import Handover, HandoverStatus, Household


def test_the_demo_has_person_x_s_household_at_several_stages_waiting_for_gjilan(db) -> None:  # type: ignore[no-untyped-def]
    demo_load(persons=7)
    # The name is encrypted: compared after reading, not in the query.
    household = next(h for h in Household.objects.all() if h.name == "Household of Person X")
    head = household.members.get(relationship="head").case
    handover = Handover.objects.get(household=household)
    assert household.mechanism.slug == "dprrp" and household.members.count() == 4
    assert set(household.members.values_list("case__stage", flat=True)) == {"case_review", "support"}
    assert head.custody_events.filter(kind="pre_release").exists()
    assert handover.to_mechanism.slug == "gjilan" and handover.status == HandoverStatus.PROPOSED
