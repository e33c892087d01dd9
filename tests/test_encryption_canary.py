"""The canary: a distinctive name, national id and note entered through the referral form must not be
found in plaintext in the SQLite file or in a pg_dump, before or after `ura keys rotate`, and must
still read back after the old key is retired."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.world import make_world
from ura.cases.models import Case
from ura.people.models import Person
from ura.vault import keyring, rotation

REPO = Path(__file__).resolve().parent.parent
GIVEN, FAMILY, FATHER = "Zyrafete", "Qarkaxhiu-Vrenezi", "Bujarkovski"
NATIONAL_ID = "CANARY77310042"
NOTE = "Canary note: bluefinch 4411 told the school counsellor about the Telegram group."
SECRETS = (GIVEN, FAMILY, FATHER, NATIONAL_ID, "bluefinch 4411", "Telegram group")


def referral_form(mechanism_pk: int) -> dict[str, object]:
    return {"mechanism": str(mechanism_pk), "given_name": GIVEN, "family_name": FAMILY, "father_name": FATHER,
            "birth_date": "2010-04-05", "birth_date_precision": "day", "sex": "f", "place": "Gjilan",
            "national_id": NATIONAL_ID, "concern_type": "religious", "source_sector": "education",
            "concern": NOTE, "indicators": ["material"], "submission_key": "c4a7a2a0e1f94b7c9d3e2f1a0b9c8d7e"}


def found_in(data: bytes) -> list[str]:
    lowered = data.lower()
    return [s for s in SECRETS if s.lower().encode() in lowered or s.lower().encode("utf-16-le") in lowered]


# --- SQLite: a real database file, written and rotated by the `ura` command in its own data directory -----

ENTER = """
import json, django
django.setup()
from django.test import Client
from django.urls import reverse
from tests.signin import verified_login
from tests.test_encryption_canary import referral_form
from tests.world import make_world
from ura.cases.models import Case
world = make_world("gjilan")
client = Client()
verified_login(client, world.referrer)
response = client.post(reverse("cases:refer"), referral_form(world.mechanism.pk))
assert response.status_code == 302, response.status_code
case = Case.objects.get(submission_key=referral_form(0)["submission_key"])
print(json.dumps({"case": case.pk, "reference": case.reference}))
"""

READ = """
import json, sys, django
django.setup()
from ura.cases.models import Case
case = Case.objects.select_related("person").get(pk=int(sys.argv[1]))
p = case.person
print(json.dumps([p.given_name, p.family_name, p.father_name, p.national_id, case.concern]))
"""


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def database_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob("ura.sqlite3*")))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL canary below covers pg_dump")
def test_the_canary_is_nowhere_in_the_sqlite_file_and_survives_rotation(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "URA_KEYS", "URA_"))}
    env.update(URA_DATA_DIR=str(tmp_path), URA_ENV="development", DJANGO_SETTINGS_MODULE="ura.settings")
    ura = str(Path(sys.executable).with_name("ura"))
    run(env, ura, "migrate", "-v0")
    entered = json.loads(run(env, sys.executable, "-c", ENTER).strip().splitlines()[-1])
    case = entered["case"]
    expected = [GIVEN, FAMILY, FATHER, NATIONAL_ID, NOTE]
    assert json.loads(run(env, sys.executable, "-c", READ, str(case))) == expected
    assert entered["reference"].encode() in database_bytes(tmp_path)  # the search itself works
    assert found_in(database_bytes(tmp_path)) == []

    old = json.loads((tmp_path / "keys.json").read_text())["active"]
    run(env, ura, "keys", "rotate")
    assert json.loads(run(env, sys.executable, "-c", READ, str(case))) == expected
    run(env, ura, "keys", "retire", old)
    assert old not in json.loads((tmp_path / "keys.json").read_text())["keys"]
    assert json.loads(run(env, sys.executable, "-c", READ, str(case))) == expected
    assert found_in(database_bytes(tmp_path)) == []


# --- PostgreSQL: the test database as pg_dump sees it (make test-pg) ---------------------------------------

def pg_dump() -> bytes:
    db = connection.settings_dict
    args = ["pg_dump", "--no-owner", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
            "-U", db["USER"] or "postgres", db["NAME"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    done = subprocess.run(args, env=env, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout


@pytest.mark.skipif(connection.vendor != "postgresql" or not shutil.which("pg_dump"),
                    reason="runs on PostgreSQL (make test-pg)")
def test_the_canary_is_nowhere_in_a_pg_dump_and_survives_rotation(client, transactional_db, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch) -> None:
    monkeypatch.setattr(settings, "VAULT_KEYS", None)
    monkeypatch.setattr(settings, "VAULT_KEYS_FILE", tmp_path / "keys.json")  # created on first use
    keyring.invalidate()
    world = make_world("gjilan")
    client.force_login(world.referrer)
    assert client.post(reverse("cases:refer"), referral_form(world.mechanism.pk)).status_code == 302
    case = Case.objects.get(submission_key=referral_form(0)["submission_key"])

    def read_back() -> list[str]:
        fresh = Case.objects.get(pk=case.pk)
        p = Person.objects.get(pk=fresh.person_id)
        return [p.given_name, p.family_name, p.father_name, p.national_id, fresh.concern]

    expected = [GIVEN, FAMILY, FATHER, NATIONAL_ID, NOTE]
    assert read_back() == expected
    dump = pg_dump()
    assert case.reference.encode() in dump  # the search itself works
    assert found_in(dump) == []
    old = keyring.current().active
    rotation.key_rotate()
    rotation.key_retire(old)
    keyring.invalidate()
    assert old not in keyring.current().keys
    assert read_back() == expected
    assert found_in(pg_dump()) == []
    keyring.invalidate()
