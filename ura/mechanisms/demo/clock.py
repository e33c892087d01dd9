"""A simulated clock, so the demo's history is written by the real services.

While it runs, ``django.utils.timezone.now`` answers the simulated time: every
``auto_now_add`` field, every ``timezone.localdate()`` in a service and every audit
event then carries the date on which that step of the story happened. Only the demo
command uses it, in one thread, and it always restores the real clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


class SimulatedClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    @contextmanager
    def installed(self) -> Iterator[SimulatedClock]:
        real_now = timezone.now
        timezone.now = self  # type: ignore[assignment]
        try:
            yield self
        finally:
            timezone.now = real_now  # type: ignore[assignment]
