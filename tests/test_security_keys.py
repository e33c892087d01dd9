"""Security keys (WebAuthn) as the second factor: added from the account's security page, used at
the sign-in step, refused for anything another key, another site or an old challenge signed. And
recovery codes, the way back in without the app or a key.

``Authenticator`` is a software authenticator built from the WebAuthn specification (a P-256 key,
"none" attestation, a signature counter): what the browser would relay from a real key. The
browser test (tests/browser/test_security_keys.py) uses Chromium's virtual authenticator instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from base64 import urlsafe_b64encode
from io import StringIO
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD, World
from ura.accounts.models import FailedSignIn, RecoveryCodes, SecurityKey
from ura.governance.models import AuditEvent

ORIGIN, RP_ID = "http://testserver", "testserver"


def b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class Authenticator:
    """One credential on a software security key."""

    def __init__(self, credential_id: bytes = b"ura-test-key-1") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = credential_id
        self.counter = 0

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def _auth_data(self, flags: int, rp_id: str, attested: bytes = b"") -> bytes:
        self.counter += 1
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.counter) + attested

    def create(self, options: dict[str, Any], *, origin: str = ORIGIN) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cose
        auth_data = self._auth_data(0x45, options["rp"]["id"], attested)  # user present, verified, attested data
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "attestationObject": b64(attestation),
                             "transports": ["usb"]}}

    def get(self, options: dict[str, Any], *, origin: str = ORIGIN) -> dict[str, Any]:
        auth_data = self._auth_data(0x05, options["rpId"])
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "authenticatorData": b64(auth_data),
                             "signature": b64(signature)}}


def post_json(client: Client, name: str, body: object = None) -> Any:
    return client.post(reverse(name), data=json.dumps(body or {}), content_type="application/json")


def add_key(client: Client, key: Authenticator, name: str = "blue key") -> Any:
    options = post_json(client, "accounts:security_key_options").json()
    return post_json(client, "accounts:security_key_add", {"name": name, "credential": key.create(options)})


def password_only(world: World) -> Client:
    """Signed in with the password, at the second step (the authenticator app is set up)."""
    from ura.accounts.services import demo_two_factor_ensure

    demo_two_factor_ensure(user=world.coordinator)
    client = Client()
    client.post(reverse("login"), {"username": world.coordinator.username, "password": PASSWORD})
    assert client.get(reverse("start")).status_code == 302  # not through yet
    return client


@pytest.fixture
def keyed(world: World) -> tuple[World, Authenticator]:
    client = Client()
    client.force_login(world.coordinator)
    key = Authenticator()
    assert add_key(client, key).status_code == 201
    return world, key


def test_a_signed_in_user_adds_a_key_and_sees_it_listed(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    options = post_json(client, "accounts:security_key_options").json()
    assert (options["rp"]["id"], options["attestation"]) == (RP_ID, "none")
    answer = post_json(client, "accounts:security_key_add",
                       {"name": "blue key", "credential": Authenticator().create(options)})
    assert answer.status_code == 201 and answer.json() == {"next": reverse("accounts:security")}
    key = SecurityKey.objects.get(user=world.coordinator)
    assert (key.name, key.sign_count, key.transports, key.confirmed) == ("blue key", 1, ["usb"], True)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "blue key" in page and "is added" in page
    assert AuditEvent.objects.filter(action="account.security_key.added", actor=world.coordinator).count() == 1


def test_the_same_key_is_not_added_twice_and_the_options_exclude_it(keyed: tuple[World, Authenticator]) -> None:
    world, key = keyed
    client = Client()
    client.force_login(world.coordinator)
    options = post_json(client, "accounts:security_key_options").json()
    assert [c["id"] for c in options["excludeCredentials"]] == [b64(key.credential_id)]
    again = post_json(client, "accounts:security_key_add", {"name": "again", "credential": key.create(options)})
    assert again.status_code == 400 and "already registered" in again.json()["error"]
    assert SecurityKey.objects.filter(user=world.coordinator).count() == 1


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "", "credential": {}}, "Give the key a name"),
    ({"name": "x" * 65}, "too long"),
    ({"name": "ok", "credential": "not an answer"}, "did not send an answer"),
    ({"name": "ok", "credential": {"id": "x", "response": {"clientDataJSON": "!!"}}}, "could not be verified"),
    ("not an object", "did not send an answer"),
])
def test_a_broken_answer_is_refused_with_a_reason(world: World, body: object, message: str) -> None:
    client = Client()
    client.force_login(world.coordinator)
    post_json(client, "accounts:security_key_options")
    answer = client.post(reverse("accounts:security_key_add"), data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert not SecurityKey.objects.exists()


def test_an_answer_for_another_site_or_without_a_challenge_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    options = post_json(client, "accounts:security_key_options").json()
    phished = Authenticator().create(options, origin="https://ura-signin.example")
    assert "could not be verified" in post_json(client, "accounts:security_key_add",
                                                {"name": "k", "credential": phished}).json()["error"]
    # The challenge was used up by that attempt: a correct answer to it comes too late.
    late = post_json(client, "accounts:security_key_add", {"name": "k", "credential": Authenticator().create(options)})
    assert "expired" in late.json()["error"]
    assert not SecurityKey.objects.exists()


def test_a_password_alone_cannot_add_a_key(world: World) -> None:
    client = password_only(world)
    assert client.get(reverse("accounts:security")).status_code == 302
    assert post_json(client, "accounts:security_key_options").status_code == 302
    assert not SecurityKey.objects.exists()


def test_the_key_signs_in_as_the_second_factor(keyed: tuple[World, Authenticator]) -> None:
    world, key = keyed
    client = password_only(world)
    step = client.get(reverse("two_factor")).content.decode()
    assert "Use your security key" in step and 'data-security-key="sign-in"' in step
    options = post_json(client, "two_factor_key_options").json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64(key.credential_id)]
    answer = post_json(client, "two_factor_key", {"credential": key.get(options)})
    assert answer.status_code == 200 and answer.json() == {"next": reverse("start")}
    assert client.get(reverse("start")).status_code == 200
    stored = SecurityKey.objects.get()
    assert stored.sign_count == key.counter and stored.last_used_at is not None
    signed_in = AuditEvent.objects.filter(action="account.signed_in", actor=world.coordinator).latest("seq")
    assert signed_in.data["device"] == "SecurityKey"


def test_without_a_key_the_step_offers_only_the_code(world: World) -> None:
    client = password_only(world)
    assert "Use your security key" not in client.get(reverse("two_factor")).content.decode()
    refused = post_json(client, "two_factor_key_options")
    assert refused.status_code == 400 and "no security key" in refused.json()["error"]


def test_a_replayed_or_forged_signature_does_not_sign_in_and_counts_as_a_failure(
        keyed: tuple[World, Authenticator]) -> None:
    world, key = keyed
    client = password_only(world)
    options = post_json(client, "two_factor_key_options").json()
    forged = key.get(options)
    forged["response"]["signature"] = b64(Authenticator().key.sign(b"something else", ec.ECDSA(hashes.SHA256())))
    assert post_json(client, "two_factor_key", {"credential": forged}).status_code == 400
    assert FailedSignIn.objects.filter(username=world.coordinator.username).count() == 1
    # A genuine answer to that (used) challenge, replayed: refused too.
    assert "expired" in post_json(client, "two_factor_key", {"credential": key.get(options)}).json()["error"]
    # A genuine answer for another site (a phishing page relaying the challenge): refused.
    options = post_json(client, "two_factor_key_options").json()
    phished = key.get(options, origin="https://ura-signin.example")
    assert post_json(client, "two_factor_key", {"credential": phished}).status_code == 400
    assert client.get(reverse("start")).status_code == 302


def test_a_cloned_key_whose_counter_went_back_is_refused(keyed: tuple[World, Authenticator]) -> None:
    world, key = keyed
    client = password_only(world)
    SecurityKey.objects.update(sign_count=100)  # the original has signed 100 times since the clone
    options = post_json(client, "two_factor_key_options").json()
    assert post_json(client, "two_factor_key", {"credential": key.get(options)}).status_code == 400
    assert client.get(reverse("start")).status_code == 302


def test_another_users_key_does_not_sign_in(keyed: tuple[World, Authenticator]) -> None:
    world, key = keyed
    from ura.accounts.services import demo_two_factor_ensure

    demo_two_factor_ensure(user=world.referrer)
    client = Client()
    client.post(reverse("login"), {"username": world.referrer.username, "password": PASSWORD})
    SecurityKey.objects.create(user=world.referrer, name="own", confirmed=True, credential_id=b64(b"other-key"),
                               public_key=b"\xa5")
    options = post_json(client, "two_factor_key_options").json()
    assert post_json(client, "two_factor_key", {"credential": key.get(options)}).status_code == 400
    assert client.get(reverse("start")).status_code == 302


def test_a_key_is_removed_by_its_owner_only(keyed: tuple[World, Authenticator]) -> None:
    world, _key = keyed
    key = SecurityKey.objects.get()
    stranger = Client()
    stranger.force_login(world.referrer)
    assert stranger.post(reverse("accounts:security_key_remove", args=[key.pk])).status_code == 404
    owner = Client()
    owner.force_login(world.coordinator)
    assert owner.post(reverse("accounts:security_key_remove", args=[key.pk])).status_code == 302
    assert not SecurityKey.objects.exists()
    assert AuditEvent.objects.filter(action="account.security_key.removed", actor=world.coordinator).count() == 1


def test_resetting_two_factor_removes_the_keys_too(keyed: tuple[World, Authenticator]) -> None:
    world, _key = keyed
    call_command("account", "reset-two-factor", world.coordinator.username, "--reason", "lost the keys",
                 stdout=StringIO())
    assert not SecurityKey.objects.filter(user=world.coordinator).exists()


# --- recovery codes ------------------------------------------------------------------------------

def test_recovery_codes_are_shown_once_and_each_signs_in_once(world: World) -> None:
    owner = Client()
    owner.force_login(world.coordinator)
    page = owner.post(reverse("accounts:recovery_codes_new")).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", page)
    assert len(set(codes)) == 10
    stored = RecoveryCodes.objects.get(user=world.coordinator)
    assert not any(c.replace("-", "") in json.dumps(stored.digests) for c in codes)  # digests only
    assert "10 unused recovery codes" in owner.get(reverse("accounts:security")).content.decode()
    assert not re.search(r"<code>[a-z2-9]{4}-", owner.get(reverse("accounts:security")).content.decode())

    client = password_only(world)
    assert "Use a recovery code instead" in client.get(reverse("two_factor")).content.decode()
    typed = codes[3].upper().replace("-", " ")  # as read off paper
    answer = client.post(reverse("two_factor_recovery"), {"code": typed, "next": "/"})
    assert answer.status_code == 302 and client.get(reverse("start")).status_code == 200
    assert len(RecoveryCodes.objects.get().digests) == 9
    assert AuditEvent.objects.filter(action="account.recovery_code.used", actor=world.coordinator).count() == 1

    again = password_only(world)
    refused = again.post(reverse("two_factor_recovery"), {"code": codes[3]})
    assert refused.status_code == 400 and "used already" in refused.content.decode()
    assert FailedSignIn.objects.filter(username=world.coordinator.username).count() == 1
    assert again.get(reverse("start")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(world: World) -> None:
    owner = Client()
    owner.force_login(world.coordinator)
    shown = owner.post(reverse("accounts:recovery_codes_new")).content.decode()
    first = re.findall(r"<code>([a-z2-9-]{19})</code>", shown)
    assert len(first) == 10
    owner.post(reverse("accounts:recovery_codes_new"))
    client = password_only(world)
    assert client.post(reverse("two_factor_recovery"), {"code": first[0]}).status_code == 400
    assert RecoveryCodes.objects.filter(user=world.coordinator).count() == 1


def test_a_password_alone_cannot_make_recovery_codes(world: World) -> None:
    client = password_only(world)
    assert client.post(reverse("accounts:recovery_codes_new")).status_code == 302
    assert not RecoveryCodes.objects.exists()
