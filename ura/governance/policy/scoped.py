"""Every model that hangs off a case, and the doors through which it is read.

Tenancy must not rest on someone remembering a filter: each door named here starts from the
policy (``case_for``, ``cases_visible_to``, ``Case.objects.visible_to`` or an agency-scoped
selector) and is held to the authorization matrix. A model that reaches a case through its
foreign keys but is missing here fails ``tests/test_scoping.py``, and so does a door that the
matrix does not cover.
"""

from __future__ import annotations

CASE_CHILDREN: dict[str, tuple[str, ...]] = {
    "cases.case": ("cases:detail", "cases:list", "cases:export"),  # the previous episode
    "cases.deconfliction": ("cases:detail", "cases:deconfliction_queue", "cases:deconfliction_answer"),
    "cases.informationrequest": ("cases:detail", "cases:request_inbox", "cases:request_answer"),
    "cases.timelineentry": ("cases:detail",),
    "panels.agendaitem": ("cases:detail", "panels:detail", "panels:conflict_declare", "panels:vote_cast",
                          "panels:decision_record"),
    "panels.decision": ("cases:detail", "panels:detail", "panels:decision_record"),
    "panels.vote": ("panels:detail", "panels:vote_cast"),
    "panels.conflictofinterest": ("panels:detail", "panels:conflict_declare"),
    "support.intervention": ("cases:detail", "support:my_interventions", "support:intervention",
                             "support:intervention_set_status"),
    "support.session": ("cases:detail", "support:intervention", "support:session_record"),
    "support.postexitreview": ("cases:detail", "support:post_exit_review_record"),
    "governance.consent": ("cases:detail", "support:consent_record", "governance:consent_withdraw"),
    "governance.consentcoverage": ("cases:detail", "governance:consent_withdraw"),
    "governance.disclosure": ("cases:detail", "governance:case_share"),
    "governance.breakglass": ("governance:breakglass_reviews", "governance:breakglass_review"),
    # Retention: read by the DPO through ura/governance/dpo.py (``dpo_case_for`` starts from the
    # mechanisms where the policy gives the DPO the action); the hold is shown on the case page.
    "governance.legalhold": ("cases:detail", "governance:dpo_home", "governance:dpo_person",
                             "governance:legal_hold_place", "governance:legal_hold_lift"),
    "governance.erasure": ("governance:dpo_person", "governance:erasure_request"),
    # Assessments: read through the assessment selectors, which start from ``cases_visible_to`` and
    # keep only the categories the reader may see (ura/assessments/selectors.py).
    "assessments.assessment": ("cases:detail", "assessments:detail", "assessments:edit", "assessments:compare",
                               "assessments:countersign", "assessments:revise", "assessments:discard"),
    "assessments.assessor": ("cases:detail", "assessments:detail", "assessments:compare"),
    "assessments.itemrating": ("cases:detail", "assessments:detail", "assessments:edit", "assessments:compare"),
    "assessments.interventionneed": ("cases:detail", "assessments:intervention_needs"),
    # Rehabilitation and reintegration: read through ura/reintegration/selectors.py, which starts
    # from ``case_for`` / ``cases_visible_to`` and keeps only the categories the reader may see.
    "reintegration.householdmember": ("cases:detail", "reintegration:household"),
    "reintegration.phaseentry": ("cases:detail", "reintegration:household"),
    "reintegration.custodyevent": ("cases:detail", "reintegration:household"),
    # A case offered to the team that takes over at release: seen by that team's coordinator.
    "reintegration.handover": ("reintegration:handovers", "reintegration:handover"),
    # Screening decisions: read through ura/matching/screening.py, which starts from ``case_for``
    # and shows only candidates whose cases ``cases_visible_to`` lets the reader open.
    "matching.matchdecision": ("matching:screen", "matching:decide", "matching:undo"),
    # Money spent on an intervention; shown only as sums, to coordinators on the funding page.
    "monitoring.allocation": ("monitoring:funding",),
}
