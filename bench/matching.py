"""Precision, recall and F1 of ``ura match-csv`` on Ura's generated evaluation set, with wall time.

    .venv/bin/python bench/matching.py                      # 10,000 and 100,000 records
    .venv/bin/python bench/matching.py --sizes 10000 --threshold 0.5

For each size it writes the records (``bench/matching_data.py``), runs ``ura match-csv`` on them
as a user would (one file: find the duplicates), and scores the pairs against the truth: a
pair is right when both records are the same generated person. It also times the normaliser
alone, in names per second, with its cache off.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.matching_data import generate, write  # noqa: E402
from ura.matching.normalise import normalise_uncached  # noqa: E402


def score(pairs_path: Path, truth_path: Path) -> tuple[float, float, float, int, int]:
    with truth_path.open(encoding="utf-8") as f:
        truth = {row["id"]: row["person"] for row in csv.DictReader(f)}
    people: dict[str, list[str]] = defaultdict(list)
    for rid, person in truth.items():
        people[person].append(rid)
    true_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in people.values())
    found = right = 0
    with pairs_path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found += 1
            right += truth[row["left_id"]] == truth[row["right_id"]]
    precision = right / found if found else 1.0
    recall = right / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, found, true_pairs


def names_per_second() -> float:
    names = [v for _t, row in generate(20_000, seed=3) for k, v in row.items() if k.endswith("name")]
    start = time.perf_counter()
    for name in itertools.islice(itertools.cycle(names), 200_000):
        normalise_uncached(name)
    return 200_000 / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=None, help="passed to ura match-csv")
    args = parser.parse_args()
    print(f"normaliser: {names_per_second():,.0f} names/second (uncached, one core)")
    print(f"{'records':>9} {'pairs':>8} {'true':>8} {'precision':>9} {'recall':>7} {'F1':>6} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            people = Path(tmp) / f"people{size}.csv"
            truth = write(size, people)
            out = Path(tmp) / f"pairs{size}.csv"
            command = [str(ROOT / ".venv/bin/ura"), "match-csv", str(people), "--out", str(out)]
            if args.threshold is not None:
                command += ["--threshold", str(args.threshold)]
            start = time.perf_counter()
            subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            p, r, f1, found, true_pairs = score(out, truth)
            print(f"{size:>9,} {found:>8,} {true_pairs:>8,} {p:>9.4f} {r:>7.4f} {f1:>6.4f} {seconds:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
