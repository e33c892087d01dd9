"""The one access policy. Every view, export, command and service asks here.

Four kinds of question:
- object: ``can(user, action, case=...)`` — may this user do this to this case?
- category: ``visible_categories(user, case)`` — which parts of the case may they read?
- field: ``fields_for(user, case)`` — which fields of the case and person, to read or write?
- queryset: ``cases_visible_to(user)`` — the cases they may open at all.

And one answer for people: ``explain(user, case, category)`` says why, in plain words.

A missing case and a forbidden one look the same to the caller (``case_for`` raises
``Http404`` for both). The modules: ``roles`` (who is what, and what each role may do),
``grants`` (the conditions under which a role, a disclosure or emergency access opens a case),
``actions`` (object questions), ``fields`` (allow-lists), ``explain`` (the plain words).
"""

from ura.governance.policy.accounts import (
    accounts_administered_by,
    may_manage_own_second_factors,
    may_unlock_sign_ins,
    second_factor_required,
)
from ura.governance.policy.actions import (
    breakglass_active,
    can,
    can_transition,
    can_view_case,
    case_for,
    may_break_glass,
    may_hold_api_tokens,
    read_flags,
)
from ura.governance.policy.explain import QUESTION_HIDDEN, QUESTION_SHOWN, Explanation, explain
from ura.governance.policy.fields import (
    ROLE_FIELDS,
    FieldAccess,
    fields_for,
    pseudonym,
    writable_fields,
)
from ura.governance.policy.grants import (
    BREAK_GLASS_CATEGORIES,
    BREAK_GLASS_HOURS,
    BREAK_GLASS_ROLES,
    Access,
    Grant,
    access,
    cases_visible_to,
    forget,
    prefetch_access,
    visible_categories,
)
from ura.governance.policy.roles import (
    RECEIVER_ROLES,
    ROLE_ACTIONS,
    ROLE_ASSESSMENT_CATEGORIES,
    ROLE_CATEGORIES,
    allowed,
    assessment_categories,
    is_chair,
    mechanisms_where,
    membership_for,
    memberships,
    pseudonymised_in,
    roles_in,
)
from ura.governance.policy.scoped import CASE_CHILDREN

__all__ = [
    "BREAK_GLASS_CATEGORIES", "BREAK_GLASS_HOURS", "BREAK_GLASS_ROLES", "CASE_CHILDREN", "QUESTION_HIDDEN",
    "QUESTION_SHOWN",
    "RECEIVER_ROLES", "ROLE_ACTIONS", "ROLE_CATEGORIES", "ROLE_FIELDS", "Access", "Explanation", "FieldAccess",
    "Grant", "access", "allowed", "breakglass_active", "can", "can_transition", "can_view_case", "case_for",
    "cases_visible_to", "explain", "fields_for", "forget", "is_chair", "may_break_glass", "mechanisms_where",
    "membership_for", "memberships", "prefetch_access", "pseudonym", "pseudonymised_in", "read_flags", "roles_in",
    "visible_categories", "writable_fields", "ROLE_ASSESSMENT_CATEGORIES", "assessment_categories",
    "accounts_administered_by", "may_unlock_sign_ins", "second_factor_required", "may_hold_api_tokens",
    "may_manage_own_second_factors",
]
