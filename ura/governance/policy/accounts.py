"""Account questions: who must sign in with a second factor, whose sign-in locks a user may lift."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ura.mechanisms.models import Membership, Role


def second_factor_required(user: Any) -> bool:
    """Everyone. Analysts see only aggregates, but aggregates about minors in small towns are
    still sensitive, and one rule for every account leaves no account to forget."""
    return True


def may_manage_own_second_factors(user: Any) -> bool:
    """Adding and removing one's own security keys: every signed-in account, once it has passed the
    second factor it already has (the sign-in middleware sees to that), so a stolen password alone
    cannot add the thief's key."""
    return user is not None and user.is_authenticated and user.is_active and user.is_verified()


def accounts_administered_by(user: Any) -> QuerySet[Any]:
    """The accounts whose sign-in locks ``user`` may lift: every account for a superuser, else the
    members of the mechanisms where ``user`` is an active administrator."""
    from ura.accounts.models import User

    if user is None or not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    mechanisms = Membership.objects.filter(user=user, active=True, role=Role.ADMINISTRATOR).values("mechanism_id")
    return User.objects.filter(memberships__mechanism_id__in=mechanisms, memberships__active=True).distinct()


def may_unlock_sign_ins(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, active=True,
                                                         role=Role.ADMINISTRATOR).exists()
