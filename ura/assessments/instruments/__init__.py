"""The instruments Ura ships, as definition files (loaded on a fresh install by a data migration).

Every one was written for Ura, in its own words. Licensed instruments (VERA-2R, ERG22+,
TRAP-18) are not shipped: an organisation that holds a licence writes its own definition and
loads it with ``ura instruments load FILE``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def shipped_files() -> list[Path]:
    return sorted(HERE.glob("*.yaml"))


def shipped_load(model: type | None = None) -> int:
    """Load every shipped definition not yet present; a version already there is left exactly as it is.

    Called by the data migration (with the historical model) and after every migrate or flush
    (post_migrate), so a database emptied by a test run gets its instruments back.
    """
    from ura.assessments.definitions import columns, read

    if model is None:
        from ura.assessments.models import InstrumentVersion

        model = InstrumentVersion
    created = 0
    for path in shipped_files():
        data = read(path.read_text(encoding="utf-8"))
        if model.objects.filter(code=data["code"], version=data["version"]).exists():  # type: ignore[attr-defined]
            continue
        model.objects.create(**columns(data), source=f"shipped: {path.name}")  # type: ignore[attr-defined]
        created += 1
    return created
