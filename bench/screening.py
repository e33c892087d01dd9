"""Bench: checking one new referral against 1,000,000 stored persons, on SQLite and PostgreSQL.

    .venv/bin/python bench/screening.py                      # 1,000,000 persons, both databases
    .venv/bin/python bench/screening.py --persons 50000 --backend sqlite

For each database it builds its own store (a temporary SQLite file, or ``ura_bench_screen_<pid>``
on DATABASE_ADMIN_URL), migrates it, and writes the generated Balkan identities of
``bench/matching_data.py`` as real ``Person`` rows — identity fields encrypted, blind indexes
written by ``ura.people.keys`` — exactly as referrals write them. Then, for ``--probes``
persons that have another record in the store (a typo, another script, swapped names, a partial
date…), it times ``ura.matching.screening.rank``: the blocking-key lookup through the blind
indexes, the name frequencies, loading and decrypting the candidates and scoring them.

Printed per database: median and p95 latency (target p95 < 50 ms, the ratio to it), the
baseline of one indexed blind-index lookup in the same store (and the ratio to it), the mean
number of candidates compared, and how often the true earlier record came first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from console import ADMIN_URL, admin, bar  # noqa: E402  (bench/console.py, beside this script)

TARGET_MS = 50.0



def _person_fields(row: dict[str, str]) -> dict[str, object]:
    import datetime as dt

    dob = row.get("date_of_birth", "")
    born, precision = None, "unknown"
    if len(dob) == 4:
        born, precision = dt.date(int(dob), 1, 1), "year"
    elif len(dob) == 10:
        born, precision = dt.date.fromisoformat(dob), "day"
    return {"given_name": row["given_name"][:120], "family_name": row["family_name"][:120],
            "father_name": row.get("father_name", "")[:120], "birth_date": born, "birth_date_precision": precision,
            "sex": row.get("sex") or "x", "place": row.get("place_of_birth", "")[:120],
            "national_id": row.get("national_id", "")[:40]}


def child(persons: int, probes: int, seed: int, store: Path | None) -> dict[str, object]:
    """Runs inside a process whose settings point at the bench database. With ``store`` holding a
    finished load (``loaded.json``), the load is skipped and only the timing runs again."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ura.settings")
    django.setup()
    from bench.matching_data import generate

    marker = store / "loaded.json" if store else None
    rows = generate(persons + probes * 4, seed)
    by_truth: dict[int, list[int]] = {}
    for i, (truth, _row) in enumerate(rows):
        by_truth.setdefault(truth, []).append(i)
    if marker is not None and marker.exists():
        saved = json.loads(marker.read_text())
        probe_ix, pk_of, load_s = saved["probes"], {int(k): v for k, v in saved["pks"].items()}, saved["load_s"]
        stored = list(pk_of)
    else:
        probe_ix, stored, pk_of, load_s = _load(rows, by_truth, persons, probes)
        if marker is not None:
            marker.write_text(json.dumps({"probes": probe_ix, "pks": pk_of, "load_s": load_s}))
    return _time(rows, by_truth, probe_ix, stored, pk_of, load_s)


def _load(rows: list, by_truth: dict, persons: int, probes: int) -> tuple[list[int], list[int], dict[int, int], float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from ura.mechanisms.services import mechanism_create
    from ura.people.keys import key_values
    from ura.people.models import Person, PersonKey
    from ura.vault.crypto import blind_index

    call_command("migrate", verbosity=0)
    mechanism = mechanism_create(actor=None, template="gjilan", slug="bench", name="Bench", level="municipal",
                                 country="XK", place="Gjilan")
    # Probes: records of a person who has another record among those stored.
    probe_ix: list[int] = []
    for i, (truth, _row) in enumerate(rows):
        if len(probe_ix) < probes and len(by_truth[truth]) > 1 and i not in probe_ix:
            probe_ix.append(i)
    probe_set = set(probe_ix)
    stored = [i for i in range(len(rows)) if i not in probe_set][:persons]

    started = time.monotonic()
    pk_of: dict[int, int] = {}
    batch = 5000
    for start in range(0, len(stored), batch):
        part = stored[start:start + batch]
        with transaction.atomic():
            objs = Person.objects.bulk_create([Person(mechanism=mechanism, **_person_fields(rows[i][1]))
                                               for i in part])
            keys = []
            for i, p in zip(part, objs, strict=True):
                pk_of[i] = p.pk
                for purpose, value in key_values(p):
                    key_id, digest = blind_index(purpose, value)
                    keys.append((p.pk, purpose, key_id, digest))
            # The rows ``ura.people.keys.person_keys_refresh`` writes, inserted without model objects.
            with connection.cursor() as cur:
                cur.executemany(f"INSERT INTO {PersonKey._meta.db_table} (person_id, purpose, key_id, digest) "
                                "VALUES (%s, %s, %s, %s)", keys)
        bar("persons stored", min(start + batch, len(stored)), len(stored), started, out=sys.stderr)
    load_s = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return probe_ix, stored, pk_of, round(load_s, 1)


def _time(rows: list, by_truth: dict, probe_ix: list[int], stored: list[int], pk_of: dict[int, int],
          load_s: float) -> dict[str, object]:
    from django.db import connection

    from ura.matching import screening
    from ura.matching.linkage import make_record
    from ura.people.models import KeyPurpose, PersonKey
    from ura.vault.crypto import blind_indexes

    screening.person_count()

    truth_pks = {t: {pk_of[i] for i in ix if i in pk_of} for t, ix in by_truth.items()}
    timings, baseline, compared, first = [], [], [], 0
    for n, i in enumerate(probe_ix):
        truth, row = rows[i]
        record = make_record({"id": "probe", **row, "municipality": row.get("place_of_birth", "")})
        t0 = time.perf_counter()
        scored = screening.rank(record, exclude=set())
        timings.append((time.perf_counter() - t0) * 1000)
        compared.append(len(scored))
        if scored and scored[0].person.pk in truth_pks[truth] and scored[0].probability >= screening.SHOW:
            first += 1
        # Baseline: one indexed equality lookup in the same store (a national id through its blind index).
        t0 = time.perf_counter()
        list(PersonKey.objects.filter(purpose=KeyPurpose.NATIONAL_ID,
                                      digest__in=blind_indexes(KeyPurpose.NATIONAL_ID, f"X{n}"))
             .values_list("person_id", flat=True))
        baseline.append((time.perf_counter() - t0) * 1000)
    warm = timings[10:] or timings
    base = baseline[10:] or baseline
    q = statistics.quantiles(warm, n=20)
    return {"backend": connection.vendor, "persons": len(stored), "keys": PersonKey.objects.count(),
            "load_s": load_s, "probes": len(warm), "median_ms": round(statistics.median(warm), 2),
            "p95_ms": round(q[18], 2), "baseline_ms": round(statistics.median(base), 3),
            "compared_mean": round(statistics.mean(compared), 1), "first": first, "probes_all": len(probe_ix)}


def run(backend: str, persons: int, probes: int, seed: int, keep: Path | None) -> dict[str, object]:
    env = dict(os.environ, URA_ENV="development", URA_DEBUG="false")
    store = (keep / backend) if keep else Path(tempfile.mkdtemp(prefix="ura-bench-screen-"))
    fresh = not (store / "loaded.json").exists()
    store.mkdir(parents=True, exist_ok=True)
    env["URA_DATA_DIR"] = str(store)
    db = None
    if backend == "postgres":
        db = f"ura_bench_screen_{persons}" if keep else f"ura_bench_screen_{os.getpid()}"
        if fresh:
            admin(f"DROP DATABASE IF EXISTS {db}")
            admin(f"CREATE DATABASE {db}")
        env["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + "/" + db
    else:
        env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run([sys.executable, __file__, "--child", "--persons", str(persons), "--probes",
                              str(probes), "--seed", str(seed), *(["--keep", str(store)] if keep else [])],
                             env=env, check=True, stdout=subprocess.PIPE, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if keep:
            pass  # kept for another timing run: --keep DIR again
        elif db is not None:
            admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        if not keep:
            subprocess.run(["rm", "-rf", str(store)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=210, help="referrals checked (the first 10 warm up)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="keep the stores in this directory; a second run with the same "
                                                   "directory times again without loading")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.persons, args.probes, args.seed, args.keep)))
        return
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    for backend in backends:
        print(f"== {backend}: {args.persons:,} persons ==", flush=True)
        r = run(backend, args.persons, args.probes, args.seed, args.keep)
        print(f"  stored {r['persons']:,} persons and {r['keys']:,} blind indexes in {r['load_s']} s")
        print(f"  one referral against them ({r['probes']} timed): median {r['median_ms']} ms, "
              f"p95 {r['p95_ms']} ms — {float(r['p95_ms']) / TARGET_MS:.2f}× the 50 ms target")
        print(f"  baseline, one indexed blind-index lookup: {r['baseline_ms']} ms "
              f"(the whole check is {float(r['median_ms']) / max(float(r['baseline_ms']), 1e-6):.0f}× that)")
        print(f"  candidates compared per referral: {r['compared_mean']}; the true earlier record came first "
              f"in {r['first']} of {r['probes_all']}")


if __name__ == "__main__":
    main()
