"""Field allow-lists: which fields of a case and its person each category (and so each persona)
may read and write.

Pages, exports and (later) the API serialise only ``readable_fields``; edits are checked
against ``writable_fields``. The lists are data so that a test can hold every page to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.crypto import salted_hmac

from ura.governance import categories as cat
from ura.governance.policy.grants import access
from ura.governance.policy.roles import ROLE_ACTIONS, ROLE_CATEGORIES
from ura.mechanisms.models import Role

if TYPE_CHECKING:
    from ura.cases.models import Case

CASE = "cases.case"
PERSON = "people.person"

# What anyone who may open a case sees: where it stands, not what it is about.
ALWAYS: dict[str, frozenset[str]] = {
    CASE: frozenset({"id", "reference", "mechanism", "episode", "previous", "stage", "stage_changed_at", "track",
                     "coordinator", "decided_on", "exited_on", "closed_on", "version"}),
}

# Fields by the category they belong to.
BY_CATEGORY: dict[str, dict[str, frozenset[str]]] = {
    cat.IDENTITY: {
        PERSON: frozenset({"id", "given_name", "family_name", "father_name", "birth_date", "birth_date_precision",
                           "sex", "place", "address", "phone", "national_id", "guardian_name",
                           "guardian_relationship", "guardian_contact"}),
        CASE: frozenset({"person"}),
    },
    cat.REFERRAL: {
        CASE: frozenset({"referred_on", "referred_by", "referring_agency", "referrer_name", "referrer_contact",
                         "source_sector", "concern_type", "concern", "indicators", "immediate_danger", "summary",
                         "signposted_to", "onward_to"}),
    },
    cat.NEEDS_PLAN: {CASE: frozenset({"needs_summary"})},
    cat.RISK: {CASE: frozenset({"risk_summary"})},
}

# Editable fields and the category each belongs to (None: the case's own metadata).
WRITABLE: dict[str, dict[str, str | None]] = {
    CASE: {"summary": cat.REFERRAL, "needs_summary": cat.NEEDS_PLAN, "risk_summary": cat.RISK,
           "concern_type": cat.REFERRAL, "track": None},
}
WRITE_ACTION = "case.edit"

# A pseudonymised viewer sees this in place of the identity (Passage4prevent).
PSEUDONYM = "pseudonym"


@dataclass(frozen=True)
class FieldAccess:
    read: dict[str, frozenset[str]]
    write: dict[str, frozenset[str]]

    def reads(self, model: str) -> frozenset[str]:
        return self.read.get(model, frozenset())

    def writes(self, model: str) -> frozenset[str]:
        return self.write.get(model, frozenset())


def _read(categories: frozenset[str], *, pseudonymised: bool = False) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {model: set(fields) for model, fields in ALWAYS.items()}
    for c in categories:
        for model, fields in BY_CATEGORY.get(c, {}).items():
            out.setdefault(model, set()).update(fields)
    if pseudonymised:
        out.setdefault(PERSON, set()).add(PSEUDONYM)
    return {model: frozenset(fields) for model, fields in out.items()}


def _write(categories: frozenset[str], may_edit: bool) -> dict[str, frozenset[str]]:
    if not may_edit:
        return {}
    return {model: frozenset(f for f, c in fields.items() if c is None or c in categories)
            for model, fields in WRITABLE.items()}


def field_access(categories: frozenset[str], *, may_edit: bool, pseudonymised: bool = False) -> FieldAccess:
    return FieldAccess(read=_read(categories, pseudonymised=pseudonymised), write=_write(categories, may_edit))


def _role_access(role: str, *, pseudonymised: bool = False) -> FieldAccess:
    categories = ROLE_CATEGORIES.get(role, frozenset())
    if pseudonymised:
        categories -= {cat.IDENTITY}
    if not categories:
        return FieldAccess(read={}, write={})
    return field_access(categories, may_edit=WRITE_ACTION in ROLE_ACTIONS.get(role, frozenset()),
                        pseudonymised=pseudonymised)


# The allow-list per persona, for a case their role's condition lets them open.
ROLE_FIELDS: dict[str, FieldAccess] = {role: _role_access(role) for role in Role.values}
PSEUDONYMISED_POLICE_FIELDS = _role_access(Role.POLICE_LIAISON, pseudonymised=True)


def fields_for(user: Any, case: Case) -> FieldAccess:
    """What ``user`` may read and write of ``case`` and its person, through every grant they hold."""
    from ura.governance.policy.actions import can

    a = access(user, case)
    if not a.grants:
        return FieldAccess(read={}, write={})
    withheld = any(cat.IDENTITY in g.withheld for g in a.grants)
    return field_access(a.categories, may_edit=can(user, WRITE_ACTION, case=case), pseudonymised=withheld)


def writable_fields(user: Any, case: Case) -> frozenset[str]:
    return fields_for(user, case).writes(CASE)


def pseudonym(case: Case) -> str:
    """A stable stand-in for the person within one mechanism: the same person, the same pseudonym,
    and nothing in it that leads back to the name."""
    digest = salted_hmac("ura.pseudonym", f"{case.mechanism_id}:{case.person_id}").hexdigest()
    return f"P-{digest[:6].upper()}"
