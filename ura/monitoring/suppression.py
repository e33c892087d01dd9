"""Small-cell suppression: the one rule every published figure goes through.

``suppress`` decides which counts are hidden. Everything that shows, exports or prints a
figure takes it from ``ura.monitoring.indicators``, which runs this function over the
whole table of a country and year before any figure leaves it; nothing else hides or
shows a count.

The rule, in three parts:

1. **Primary.** A count of 1 to ``THRESHOLD - 1`` people (or of their cases, decisions,
   interventions) is hidden and shown as "<5". Zero is shown: it identifies nobody.
2. **Secondary.** Published figures add up: categories to their total, quarters to their
   year, mechanisms to their level, levels to their country, and some figures to a larger
   one plus a part that is never published (adopted + not adopted = accepted). In every
   such sum (the total and its parts together) either nothing is hidden or at least two
   members are, so no hidden figure is the difference of published ones. When exactly
   one is hidden, the smallest non-zero part beside it is hidden too (or, when there is
   none, the total). Such a figure is shown as "x": it is not small, only hidden.
3. Figures derived from counts (amounts, averages, percentages) are hidden ("x") when a
   count they depend on is hidden.

Part 2 is repeated until nothing changes; the result depends only on the data,
so every page, export and PDF of the same country and year hides the same cells.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence

THRESHOLD = 5
SMALL_TEXT = f"<{THRESHOLD}"
HIDDEN_TEXT = "x"

Group = tuple[Hashable, Sequence[Hashable]]


def suppress(counts: Mapping[Hashable, int], groups: Iterable[Group], *,
             threshold: int = THRESHOLD) -> frozenset[Hashable]:
    """The keys of ``counts`` to hide. ``groups`` are (total, parts) with total = sum of parts.

    Keys that appear in a group but not in ``counts`` count as 0. Groups are looked at again
    whenever one of their members is newly hidden, until none needs another hidden member.
    """
    groups = [(total, tuple(parts)) for total, parts in groups]
    member_of: dict[Hashable, list[int]] = defaultdict(list)
    for i, (total, parts) in enumerate(groups):
        member_of[total].append(i)
        for p in parts:
            member_of[p].append(i)
    hidden = {key for key, value in counts.items() if 0 < value < threshold}
    queue = deque(range(len(groups)))
    queued = [True] * len(groups)

    def hide(key: Hashable) -> None:
        hidden.add(key)
        for i in member_of.get(key, ()):
            if not queued[i]:
                queued[i] = True
                queue.append(i)

    while queue:
        i = queue.popleft()
        queued[i] = False
        total, parts = groups[i]
        if (total in hidden) + sum(1 for p in parts if p in hidden) != 1:
            continue
        candidates = [(counts.get(p, 0), n, p) for n, p in enumerate(parts)
                      if p not in hidden and counts.get(p, 0) > 0]
        if candidates:
            hide(min(candidates)[2])
        elif total not in hidden:
            hide(total)
    return frozenset(hidden)


def hidden_text(value: int | None) -> str:
    """How a hidden figure is written everywhere (pages, CSV, XLSX, PDF): "<5" or "x"."""
    return SMALL_TEXT if value is not None and value < THRESHOLD else HIDDEN_TEXT
