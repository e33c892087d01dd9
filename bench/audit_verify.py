"""Bench: ``ura audit verify`` over 1,000,000 generated audit events (target: under 2 seconds).

    .venv/bin/python bench/audit_verify.py                       # PostgreSQL, then SQLite
    .venv/bin/python bench/audit_verify.py --events 100000 --runs 3 --backends postgresql

PostgreSQL: creates its own database (``ura_bench_audit_<pid>`` on DATABASE_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, and appends the events with COPY.
SQLite: a fresh database file in a temporary directory. Either way the events are a realistic
mix (case pages with their categories, lists with 25 case ids, exports, votes, refusals) from
20 users of one mechanism, chained and hashed exactly as ``audit_record`` would have, so the
chain verifies. It then runs the whole verification (``audit_chain_verify``, what the command
runs) ``--runs`` times in one process — the baseline — and ``--runs`` times with one process per
CPU as the command does, and prints for each the median time, the events per second and the ratio
to the 2-second target (≤ 1 meets it), then the ratio of the two. The database is dropped (the
SQLite file removed) at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from console import ADMIN_URL, admin, bar  # noqa: E402  (bench/console.py, beside this script)

TARGET_SECONDS = 2.0
TARGET_EVENTS = 1_000_000
USERS = 20




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=TARGET_EVENTS, help="events to generate (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed verifications (default 3; the median counts)")
    parser.add_argument("--backends", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", choices=("postgresql", "sqlite"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    # Each backend in its own process: Django's settings pick the database once per process.
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("postgresql", "sqlite"):
            parser.error(f"unknown backend {backend!r}")
        command = [sys.executable, __file__, "--child", backend, "--events", str(args.events), "--runs", str(args.runs)]
        subprocess.run(command + (["--keep"] if args.keep else []), check=True)


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ura.settings")
    if args.child == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        folder = tempfile.mkdtemp(prefix="ura_bench_audit_")
        os.environ["URA_DATA_DIR"] = folder
        try:
            run(args, "SQLite")
        finally:
            if args.keep:
                print(f"  Kept the SQLite database in {folder}.")
            else:
                shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"ura_bench_audit_{os.getpid()}"
    os.environ["DATABASE_URL"] = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    admin(f'CREATE DATABASE "{name}"')
    try:
        run(args, "PostgreSQL")
    finally:
        if args.keep:
            print(f"  Kept database {name}.")
        else:
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(args: argparse.Namespace, label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from ura.governance.chain import audit_chain_verify, default_jobs

    print(f"{label}: {args.events:,} audit events")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    users, mechanism, agency = setup()
    generate(args.events, users, mechanism, agency, started)
    from ura.governance.models import AuditEvent

    total = AuditEvent.objects.count()  # the generated ones and those of setting up the mechanism

    # The baseline: the same verification in one process (all ``ura audit verify`` did before it
    # split a long chain among processes). Then as the command runs it, one process per CPU.
    jobs = default_jobs()
    medians = {}
    for label_jobs in (1, jobs) if jobs > 1 else (1,):
        times = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            report = audit_chain_verify(jobs=label_jobs)
            times.append(time.perf_counter() - t0)
            if not report.ok or report.events != total:
                raise SystemExit(f"  the generated chain did not verify: {report.problem or report.events}")
            bar(f"verifying, {label_jobs} process{'es' if label_jobs > 1 else ''}", i + 1, args.runs, started)
        medians[label_jobs] = statistics.median(times)
        print(f"  ura audit verify --jobs {label_jobs}, {total:,} events (median of {args.runs} runs, "
              f"runs {', '.join(f'{t:.2f}' for t in times)} s):")
        scaled = medians[label_jobs] * TARGET_EVENTS / total
        print(f"    {medians[label_jobs]:8.2f} s   {total / medians[label_jobs]:12,.0f} events/s   "
              f"ratio to the {TARGET_SECONDS:g} s target for {TARGET_EVENTS:,}: {scaled / TARGET_SECONDS:4.2f}"
              f"   (≤ 1 meets it)")
    if jobs > 1:
        print(f"  {jobs} processes against one: {medians[jobs] / medians[1]:4.2f} of the time")


def setup() -> tuple[list[int], int, int]:
    from django.contrib.auth.hashers import make_password

    from ura.accounts.models import User
    from ura.mechanisms.models import Role
    from ura.mechanisms.services import agency_create, mechanism_create, membership_grant

    mechanism = mechanism_create(actor=None, template="gjilan", slug="bench-audit", name="Bench municipality",
                                 level="municipal", country="XK", place="Gjilan")
    agency = agency_create(actor=None, mechanism=mechanism, name="Bench school", type="school")
    password = make_password("bench-password-2026")
    users = []
    for i in range(USERS):
        u = User.objects.create(username=f"bench-audit-{i:02d}", password=password)
        membership_grant(actor=None, user=u, mechanism=mechanism, agency=agency, role=Role.PANEL_MEMBER)
        users.append(u.pk)
    return users, mechanism.pk, agency.pk


def events(n: int, first_seq: int, prev: str, users: list[int], mechanism: int, agency: int
           ) -> Iterator[tuple[dict, str]]:
    """(fields, hash) of ``n`` chained events after ``first_seq - 1`` / ``prev``."""
    from ura.governance.canonical import canonical_line

    categories = ["identity", "referral", "needs", "risk", "health", "police", "panel"]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        seq = first_seq + i
        kind, case = seq % 10, 1 + (seq * 7919) % 50_000
        fields = {"seq": seq, "created_at": start + dt.timedelta(microseconds=seq * 31_536_000 + seq % 997),
                  "actor_id": users[seq % len(users)], "agency_id": agency, "mechanism_id": mechanism,
                  "object_type": "cases.case", "object_id": str(case), "case_id": case, "person_id": case + 3,
                  "reason": "", "prev_hash": prev}
        if kind < 6:
            fields.update(action="case.viewed", data={"categories": categories[: 2 + seq % 6]})
        elif kind < 8:
            fields.update(action="case.list_viewed", object_type="", object_id="", case_id=None, person_id=None,
                          data={"filters": {"stage": "support"}, "search": False, "page": 1 + seq % 4,
                                "cases": [1 + (seq + k * 37) % 50_000 for k in range(25)]})
        elif kind == 8:
            fields.update(action="panel.vote_cast", object_type="panels.vote", object_id=str(seq),
                          data={"choice": "adopt", "item": seq // 3})
        else:
            fields.update(action="access.refused", object_type="", object_id="", case_id=None, person_id=None,
                          mechanism_id=None, agency_id=None,
                          data={"route": "cases:detail", "method": "GET", "reason": "not_visible"})
        prev = hashlib.sha256(canonical_line(fields).encode("utf-8")).hexdigest()
        yield fields, prev


def generate(n: int, users: list[int], mechanism: int, agency: int, started: float) -> None:
    from django.db import connection, transaction

    from ura.governance.canonical import copy_text, jsonb_text
    from ura.governance.chain import GENESIS
    from ura.governance.models import AuditEvent, AuditHead

    head = AuditHead.objects.filter(pk=AuditHead.ONLY).values_list("seq", "hash").first() or (0, GENESIS)
    table = AuditEvent._meta.db_table
    columns = ("seq", "created_at", "actor_id", "agency_id", "mechanism_id", "action", "object_type", "object_id",
               "case_id", "person_id", "reason", "data", "prev_hash", "hash")
    step = max(n // 20, 1)
    last = head
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for i, (f, h) in enumerate(events(n, head[0] + 1, head[1], users, mechanism, agency), 1):
                    copy.write("\t".join((
                        str(f["seq"]), f["created_at"].isoformat(), _id(f["actor_id"]), _id(f["agency_id"]),
                        _id(f["mechanism_id"]), f["action"], f["object_type"], f["object_id"], _id(f["case_id"]),
                        _id(f["person_id"]), f["reason"], copy_text(jsonb_text(f["data"])), f["prev_hash"], h,
                    )) + "\n")
                    last = (f["seq"], h)
                    if i % step == 0:
                        bar("generating (COPY)", i, n, started)
        else:
            rows = []
            with connection.cursor() as cursor:
                sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                       f"VALUES ({', '.join(['%s'] * len(columns))})")
                for i, (f, h) in enumerate(events(n, head[0] + 1, head[1], users, mechanism, agency), 1):
                    rows.append((f["seq"], f["created_at"].replace(tzinfo=None).isoformat(sep=" "), f["actor_id"],
                                 f["agency_id"], f["mechanism_id"], f["action"], f["object_type"], f["object_id"],
                                 f["case_id"], f["person_id"], f["reason"], jsonb_text(f["data"]), f["prev_hash"], h))
                    last = (f["seq"], h)
                    if len(rows) == 10_000 or i == n:
                        cursor.executemany(sql, rows)
                        rows = []
                    if i % step == 0:
                        bar("generating (INSERT)", i, n, started)
        AuditHead.objects.update_or_create(pk=AuditHead.ONLY, defaults={"seq": last[0], "hash": last[1]})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _id(value: int | None) -> str:
    return "\\N" if value is None else str(value)


if __name__ == "__main__":
    main()
