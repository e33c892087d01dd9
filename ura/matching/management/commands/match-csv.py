"""``ura match-csv LEFT.csv [RIGHT.csv] --out pairs.csv``: duplicates in one file, links between two."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ura.matching.compare import Record
from ura.matching.linkage import link, make_record, parse_date

COLUMNS = ("id", "given_name", "family_name", "father_name", "date_of_birth", "sex", "place_of_birth",
           "address", "municipality", "postal_code", "national_id")
# Headers that common exports use for the same things.
ALIASES = {
    "rec_id": "id", "record_id": "id", "first_name": "given_name", "firstname": "given_name",
    "forename": "given_name", "surname": "family_name", "last_name": "family_name", "lastname": "family_name",
    "dob": "date_of_birth", "birth_date": "date_of_birth", "gender": "sex", "postcode": "postal_code",
    "zip": "postal_code", "place": "place_of_birth", "address_1": "address", "street": "address",
    "city": "municipality", "suburb": "municipality", "town": "municipality", "ssn": "national_id",
    "soc_sec_id": "national_id", "personal_number": "national_id",
}


def read_records(path: Path, warn: Any) -> list[Record]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as e:
        raise CommandError(f"{path}: cannot be read ({e.strerror}).") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise CommandError(f"{path}: the file is empty; it needs a header line.")
            mapping: dict[str, str] = {}
            for column in header:
                key = (column or "").strip().lower()
                target = key if key in COLUMNS else ALIASES.get(key)
                if target and target not in mapping.values():
                    mapping[column] = target
                    if target != key:
                        warn(f"{path.name}: reading column “{column}” as {target}.")
                else:
                    warn(f"{path.name}: ignoring column “{column}”.")
            if not set(mapping.values()) & {"given_name", "family_name", "national_id"}:
                raise CommandError(f"{path}: no name or national_id column; recognised columns are "
                                   f"{', '.join(COLUMNS)}.")
            records = []
            seen: set[str] = set()
            bad_dates = 0
            for n, row in enumerate(reader, start=1):
                if None in row:
                    raise CommandError(f"{path}, line {reader.line_num}: more values than columns.")
                values = {target: (row.get(column) or "") for column, target in mapping.items()}
                values["id"] = values.get("id", "").strip() or str(n)
                if values["id"] in seen:
                    raise CommandError(f"{path}, line {reader.line_num}: the id “{values['id']}” is repeated.")
                seen.add(values["id"])
                try:
                    parse_date(values.get("date_of_birth", ""))
                except ValueError:
                    # A mistyped date is the kind of record this command exists for: read it as unknown.
                    bad_dates += 1
                    if bad_dates <= 10:
                        warn(f"{path.name}, line {reader.line_num}: “{values['date_of_birth']}” is not a date "
                             "(YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD); read as unknown.")
                    values["date_of_birth"] = ""
                records.append(make_record(values))
            if bad_dates > 10:
                warn(f"{path.name}: {bad_dates} dates in all were not dates and were read as unknown.")
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text; save it as UTF-8 CSV.") from None
        except csv.Error as e:
            raise CommandError(f"{path}: not a readable CSV file ({e}).") from None
    return records


class Command(BaseCommand):
    help = ("Find duplicate identities in one CSV file, or link the identities of two, and write the pairs "
            "(left_id,right_id,weight,probability), best first.")
    requires_system_checks: list[str] = []  # reads and writes files only; the checks would import every URL

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path, nargs="?")
        parser.add_argument("--out", type=Path, required=True, help="where to write the pairs (CSV)")
        parser.add_argument("--threshold", type=float, default=0.9,
                            help="lowest match probability written, 0 to 1 (default 0.9)")
        parser.add_argument("--many", action="store_true",
                            help="with two files, let a record appear in more than one pair")
        parser.add_argument("--explain", action="store_true",
                            help="add each field's agreement level and weight to the output")

    def handle(self, *args: Any, **opts: Any) -> None:
        threshold: float = opts["threshold"]
        if not 0.0 <= threshold <= 1.0:
            raise CommandError("--threshold is a probability between 0 and 1.")
        out: Path = opts["out"]
        if not out.parent.resolve().is_dir():
            raise CommandError(f"{out.parent}: no such directory.")
        left = read_records(opts["left"], self._warn)
        right = read_records(opts["right"], self._warn) if opts["right"] else None
        pairs, params = link(left, right, threshold=threshold, one_to_one=not opts["many"],
                             progress=self._progress if sys.stderr.isatty() else None)
        fd, tmp = tempfile.mkstemp(prefix=".match-", suffix=".csv", dir=out.parent.resolve())
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                header = ["left_id", "right_id", "weight", "probability"]
                if opts["explain"]:
                    header.append("explanation")
                writer.writerow(header)
                for p in pairs:
                    row = [p.left.id, p.right.id, f"{p.weight:.2f}", f"{p.probability:.4f}"]
                    if opts["explain"]:
                        row.append("; ".join(f"{name}={lvl}:{bits:+.1f}" for name, lvl, bits
                                             in params.explain(p.vector) if lvl is not None))
                    writer.writerow(row)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._warn(f"{len(pairs)} pairs written to {out}.")

    def _warn(self, message: str) -> None:
        self.stderr.write(message, style_func=str)

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\rcomparing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
