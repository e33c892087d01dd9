"""Bench: the national annual indicators over 1,000,000 generated cases on PostgreSQL.

    .venv/bin/python bench/annual_indicators.py            # 1,000,000 cases
    .venv/bin/python bench/annual_indicators.py --cases 50000 --runs 3

It creates its own database (``ura_bench_<pid>`` on DATABASE_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, generates the data inside
PostgreSQL (INSERT ... SELECT generate_series, see generate.sql), then times

- **ura**: ``indicators_for(country_scope("XK"), year)`` — everything the national annual
  report needs: the ORM aggregates, the roll-up to levels and country, small-cell
  suppression and the figures, exactly as the web page, export and PDF get them;
- **sql**: one hand-written SQL statement (``handwritten.py``) computing the same table
  (checked to be equal to what ura's queries return before anything is timed);

and prints both, with their ratio (the figure: target ≤ 2). The database is dropped at the end
unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from console import ADMIN_URL, admin, bar  # noqa: E402  (bench/console.py, beside this script)

COUNTRY = "XK"
MUNICIPALITIES = 30




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="first episodes to generate (default 1,000,000)")
    parser.add_argument("--year", type=int, default=2024, help="the report's year (default 2024)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side (default 5; the median counts)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name = f"ura_bench_{os.getpid()}"
    base = ADMIN_URL.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ura.settings")
    admin(f'CREATE DATABASE "{name}"')
    print(f"Database {name} created.")
    try:
        run(args, os.environ["DATABASE_URL"])
    finally:
        if args.keep:
            print(f"Kept {name}.")
        else:
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            print(f"Database {name} dropped.")


def run(args: argparse.Namespace, url: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    steps = 4
    bar("migrating", 0, steps, started)
    call_command("migrate", verbosity=0)
    bar("mechanisms, agencies and staff", 1, steps, started)
    mechs, users, types = setup_mechanisms()
    bar(f"generating {args.cases:,} cases in PostgreSQL", 2, steps, started)
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-v", f"cases={args.cases}",
                    "-v", "mechs={" + ",".join(map(str, mechs)) + "}",
                    "-v", "users={" + ",".join(map(str, users)) + "}",
                    "-v", "types={" + ",".join(map(str, types)) + "}", "-f", str(HERE / "generate.sql")],
                   check=True, stdout=subprocess.DEVNULL)
    bar("checking both sides compute the same table", 3, steps, started)
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM support_intervention), "
                       "(SELECT count(*) FROM panels_decision), (SELECT count(*) FROM cases_timelineentry)")
        cases, interventions, decisions, timeline = cursor.fetchone()
    same = check(args.year)
    bar("ready", 4, steps, started)
    print(f"  {cases:,} cases, {interventions:,} interventions, {decisions:,} decisions, {timeline:,} timeline "
          f"entries in {len(mechs)} mechanisms (1 national, {MUNICIPALITIES} municipal) of {COUNTRY}")
    print(f"  the two sides agree on all {same:,} figures of {args.year}")

    ura_times, sql_times, query_times = [], [], []
    total = args.runs * 3
    started = time.monotonic()
    for i in range(args.runs):
        sql_times.append(timed(lambda: handwritten(args.year)))
        bar("hand-written SQL", 3 * i + 1, total, started)
        query_times.append(timed(lambda: ura_queries(args.year)))
        bar("ura's queries alone", 3 * i + 2, total, started)
        ura_times.append(timed(lambda: ura_indicators(args.year)))
        bar("ura: national annual indicators", 3 * i + 3, total, started)
    ura, sql, queries = (statistics.median(t) for t in (ura_times, sql_times, query_times))
    print()
    print(f"National annual indicators, {args.year}, {cases:,} cases (median of {args.runs} runs):")
    print(f"  hand-written SQL (one statement)          {sql * 1000:8.0f} ms")
    print(f"  ura: queries only (ORM aggregates)        {queries * 1000:8.0f} ms   ratio {queries / sql:4.2f}")
    print(f"  ura: indicators_for (queries, roll-up,    {ura * 1000:8.0f} ms   ratio {ura / sql:4.2f}   (target <= 2)")
    print("       suppression, figures)")


def setup_mechanisms() -> tuple[list[int], list[int], list[int]]:
    from django.contrib.auth.hashers import make_password

    from ura.accounts.models import User
    from ura.mechanisms.models import Role
    from ura.mechanisms.services import agency_create, mechanism_create, membership_grant
    from ura.support.models import InterventionType

    mechanisms = [mechanism_create(actor=None, template="dprrp", slug="bench-national", name="National R&R division",
                                   level="national", country=COUNTRY, place="Prishtinë")]
    mechanisms += [mechanism_create(actor=None, template="gjilan", slug=f"bench-{i:02d}", name=f"Municipality {i:02d}",
                                    level="municipal", country=COUNTRY, place=f"Place {i:02d}")
                   for i in range(1, MUNICIPALITIES + 1)]
    password = make_password("bench-password-2026")
    users = []
    for m in mechanisms:
        agencies = [agency_create(actor=None, mechanism=m, name=f"{kind} {m.slug}", type=kind)
                    for kind in ("cso", "health", "social", "school")]
        u = User.objects.create(username=f"coord-{m.slug}", password=password)
        membership_grant(actor=None, user=u, mechanism=m, agency=agencies[0], role=Role.COORDINATOR)
        users.append(u.pk)
    return [m.pk for m in mechanisms], users, list(InterventionType.objects.values_list("pk", flat=True))


def params(year: int) -> dict[str, object]:
    import datetime as dt

    from django.utils import timezone

    from ura.monitoring.queries import Window, published_until

    w = Window(first_year=year, last_year=year, until=published_until(timezone.localdate()))
    start_at, end_at = w.moments()
    return {"country": COUNTRY, "start": w.start, "end": w.end, "start_at": start_at, "end_at": end_at,
            "tz": str(timezone.get_current_timezone()), "first_year": year, "last_year": year,
            "year_ago": w.until - dt.timedelta(days=365), "two_ago": w.until - dt.timedelta(days=730)}


def handwritten(year: int) -> list[tuple]:
    from django.db import connection, transaction

    from bench.handwritten import statement

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as ura runs its own queries
        cursor.execute(statement(), params(year))
        return cursor.fetchall()


def ura_queries(year: int):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from ura.monitoring.queries import Window, collect, published_until

    return collect(COUNTRY, Window(first_year=year, last_year=year, until=published_until(timezone.localdate())))


def ura_indicators(year: int):  # type: ignore[no-untyped-def]
    from ura.monitoring.indicators import indicators_for
    from ura.monitoring.scopes import country_scope

    return indicators_for(country_scope(COUNTRY), year)


def check(year: int) -> int:
    """Both sides return the same (ref, mechanism, year, quarter) → value table."""
    raw = ura_queries(year)
    mine: dict[tuple, Decimal] = {}
    for store in (raw.counts, raw.numbers, raw.amounts):
        for key, value in store.items():
            if value:
                mine[key] = Decimal(value)
    theirs = {(ref, m, int(y), int(q)): Decimal(n) for ref, m, y, q, n in handwritten(year)}
    if mine != theirs:
        diff = sorted(set(mine.items()) ^ set(theirs.items()), key=str)[:20]
        raise SystemExit(f"The two sides disagree, for example: {diff}")
    return len(mine)


def timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
