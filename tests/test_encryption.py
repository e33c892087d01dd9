"""Encryption at rest: sealed values, their binding to row and field, keys, rotation, blind indexes."""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.urls import reverse

from tests.world import World
from ura.cases.models import Case
from ura.people.keys import name_query, national_id_query
from ura.people.models import KeyPurpose, Person, PersonKey
from ura.vault import keyring, rotation
from ura.vault.crypto import Tampered, UnknownKey, blind_index, blind_indexes, key_id_of
from ura.vault.fields import PlaintextRefused


@pytest.fixture
def ring(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A keyring of the test's own, so that rotating and retiring never touch var/keys.json."""
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"active": "k1", "keys": {"k1": base64.b64encode(secrets.token_bytes(32)).decode()}}))
    settings.VAULT_KEYS, settings.VAULT_KEYS_FILE = None, path
    keyring.invalidate()
    yield path
    keyring.invalidate()


def stored(obj: object, column: str) -> str:
    table = obj._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [obj.pk])  # type: ignore[attr-defined]
        return cursor.fetchone()[0]


def store(obj: object, column: str, value: str) -> None:
    table = obj._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, obj.pk])  # type: ignore[attr-defined]


def test_identity_and_concern_are_stored_sealed_and_read_back_plain(world: World) -> None:
    case = world.refer(concern="Talks of joining a group abroad.")
    person = Person.objects.get(pk=case.person_id)
    assert stored(person, "family_name").startswith("ura1$")
    assert "Krasniqi" not in stored(person, "family_name")
    assert person.family_name == "Krasniqi"
    assert Case.objects.get(pk=case.pk).concern == "Talks of joining a group abroad."


def test_the_referrer_and_a_legal_holds_reasons_are_sealed_too(world: World) -> None:
    from ura.governance.retention import legal_hold_lift, legal_hold_place

    case = world.refer(referrer_name="Mimoza Berisha", referrer_contact="+383 44 123 456")
    assert all(stored(case, c).startswith("ura1$") for c in ("referrer_name", "referrer_contact"))
    assert (Case.objects.get(pk=case.pk).referrer_name, Case.objects.get(pk=case.pk).referrer_contact) == (
        "Mimoza Berisha", "+383 44 123 456")
    hold = legal_hold_place(actor=world.dpo, case=case, reason="Prosecutor's inquiry 2026/117")
    hold = legal_hold_lift(actor=world.dpo, case=case, reason="Inquiry closed without charges")
    for column in ("reason", "lift_reason"):
        assert stored(hold, column).startswith("ura1$") and "nquiry" not in stored(hold, column)


def test_an_empty_value_stays_empty(world: World) -> None:
    person = world.refer().person
    assert stored(person, "phone") == ""
    assert Person.objects.get(pk=person.pk).phone == ""


def test_a_changed_ciphertext_is_refused(world: World) -> None:
    person = world.refer().person
    value = stored(person, "given_name")
    store(person, "given_name", value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1])
    with pytest.raises(Tampered):
        _ = Person.objects.get(pk=person.pk).given_name


def test_a_value_moved_to_another_row_is_refused(world: World) -> None:
    first, second = world.refer().person, world.refer().person
    store(second, "family_name", stored(first, "family_name"))
    with pytest.raises(Tampered):
        _ = Person.objects.get(pk=second.pk).family_name


def test_a_value_moved_to_another_field_is_refused(world: World) -> None:
    person = world.refer().person
    store(person, "father_name", stored(person, "given_name"))
    with pytest.raises(Tampered):
        _ = Person.objects.get(pk=person.pk).father_name


def test_a_value_under_a_key_not_in_the_ring_is_an_unknown_key_error(world: World) -> None:
    person = world.refer().person
    value = stored(person, "given_name")
    store(person, "given_name", value.replace(f"${key_id_of(value)}$", "$gone-key$", 1))
    with pytest.raises(UnknownKey):
        _ = Person.objects.get(pk=person.pk).given_name


def test_a_plaintext_cannot_be_written_around_the_model(world: World) -> None:
    person = world.refer().person
    with pytest.raises(PlaintextRefused):
        Person.objects.filter(pk=person.pk).update(given_name="Leaked")


def test_a_substring_search_over_ciphertext_is_an_error_not_an_empty_result(world: World) -> None:
    with pytest.raises(FieldError):
        Person.objects.filter(family_name__icontains="kras").count()


def test_rotation_reencrypts_every_value_and_reindexes_every_person(ring: Path, world: World) -> None:
    case = world.refer(concern="Recruiting younger pupils.")
    new_key, st = rotation.key_rotate()
    assert st.active == new_key != "k1"
    assert st.uses("k1") == 0
    assert st.values[new_key] > 0 and st.indexes[new_key] > 0
    assert key_id_of(stored(case.person, "given_name")) == new_key
    assert Case.objects.get(pk=case.pk).concern == "Recruiting younger pupils."


def test_the_old_key_can_be_retired_after_rotation_and_values_still_read(ring: Path, world: World) -> None:
    case = world.refer()
    rotation.key_rotate()
    rotation.key_retire("k1")
    assert "k1" not in json.loads(ring.read_text())["keys"]
    assert Person.objects.get(pk=case.person_id).family_name == "Krasniqi"


def test_a_key_still_in_use_cannot_be_retired(ring: Path, world: World) -> None:
    world.refer()
    keyring.write(keyring.Keyring(active="k2", keys={**keyring.current().keys, "k2": secrets.token_bytes(32)},
                                  source="test", path=ring))
    with pytest.raises(rotation.StillInUse):
        rotation.key_retire("k1")


def test_the_active_key_cannot_be_retired(ring: Path) -> None:
    with pytest.raises(rotation.StillInUse):
        rotation.key_retire("k1")


def test_an_interrupted_rotation_is_finished_by_resume(ring: Path, world: World) -> None:
    case = world.refer()
    rotation.key_add()  # the new key is active, nothing is re-encrypted yet: as if interrupted
    assert rotation.status().uses("k1") > 0
    _, st = rotation.key_rotate(resume=True)
    assert st.uses("k1") == 0
    assert Person.objects.get(pk=case.person_id).given_name.startswith("Arben")


def test_blind_indexes_are_keyed_and_separate_purposes(ring: Path) -> None:
    key_id, digest = blind_index("name", "gashi")
    assert key_id == "k1"
    assert digest != blind_index("national_id", "gashi")[1]
    assert blind_indexes("name", "gashi") == [digest]


def test_a_national_id_is_found_by_equality_whatever_its_separators(world: World) -> None:
    case = world.refer()
    person = case.person
    person.national_id = "1234-567 89"
    person.save(update_fields=["national_id"])
    from ura.people.keys import person_keys_refresh

    person_keys_refresh(person)
    assert list(Person.objects.filter(pk__in=national_id_query("123456789"))) == [person]


def test_a_name_is_found_in_another_script_and_spelling(world: World) -> None:
    case = world.refer()
    assert Person.objects.filter(name_query("Краснићи")).filter(pk=case.person_id).exists()
    assert Person.objects.filter(name_query("krasniçi")).filter(pk=case.person_id).exists()


def test_the_blocking_keys_of_the_matcher_are_stored_as_blind_indexes(world: World) -> None:
    person = world.refer().person
    blocks = PersonKey.objects.filter(person=person, purpose=KeyPurpose.BLOCK)
    assert blocks.count() >= 2  # names with the birth year, and names alone


def test_the_case_list_search_finds_a_person_by_a_whole_name(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.refer()
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:list"), {"q": "KRASNIQI"}).content.decode()
    assert case.reference in html


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = {"URA_ENV": "production", "URA_SECRET_KEY": "x" * 40, "URA_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "ura.settings", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "URA_KEYS_FILE" in done.stderr
    assert not (tmp_path / "keys.json").exists()


@pytest.mark.parametrize("text, problem", [
    ("not json", "not valid JSON"),
    ('{"active": "k1", "keys": {"k1": "c2hvcnQ="}}', "must be 32 bytes"),
    ('{"active": "k9", "keys": {"k1": "' + base64.b64encode(b"k" * 32).decode() + '"}}', "active key"),
    ('{"active": "K 1", "keys": {"K 1": "' + base64.b64encode(b"k" * 32).decode() + '"}}', "malformed key id"),
])
def test_a_malformed_keyring_is_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(keyring.KeyringError, match=problem):
        keyring.parse(text, source="test")


def test_keys_can_come_from_the_environment_instead_of_a_file(settings, world: World) -> None:  # type: ignore[no-untyped-def]
    settings.VAULT_KEYS = json.dumps({"active": "env1", "keys": {"env1": base64.b64encode(b"e" * 32).decode()}})
    case = world.refer()
    assert key_id_of(stored(case.person, "given_name")) == "env1"
    assert Person.objects.get(pk=case.person_id).given_name.startswith("Arben")


def test_the_keys_command_reports_and_refuses_to_retire_a_key_in_use(ring: Path, world: World) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    world.refer()
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "k1 (active)" in out.getvalue() and "blind indexes" in out.getvalue()
    with pytest.raises(CommandError, match="active key"):
        call_command("keys", "retire", "k1")


def test_persons_sharing_a_blocking_key_are_candidates_for_the_matcher(world: World) -> None:
    from ura.people.keys import candidates_for, person_keys_refresh

    first, second, other = world.refer().person, world.refer().person, world.refer().person
    other.given_name, other.family_name = "Mirlinda", "Berisha"
    other.save()
    person_keys_refresh(other)
    found = {row["person_id"] for row in candidates_for(first)}
    assert second.pk in found  # the same names (digits are not part of a name) and birth date
    assert first.pk not in found and other.pk not in found
