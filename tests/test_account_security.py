"""Account security: Argon2 passwords, two-factor sign-in for everyone, locks that reveal no
account, session timeouts, ended sessions of disabled accounts, the Content-Security-Policy and
the production deploy check.

Sign-ins here go through the real steps (``client.post`` to the forms); ``unverified_login`` is
the password step alone, the state between the two steps.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.signin import demo_code, unverified_login
from tests.world import PASSWORD, World
from ura.accounts import middleware
from ura.accounts.models import FailedSignIn
from ura.accounts.services import account_disable, demo_two_factor_ensure
from ura.governance.models import AuditEvent

ROOT = Path(__file__).resolve().parents[1]
REFUSED = "did not match"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def enter_code(client: Client, code: str, next_url: str = "/") -> Any:
    return client.post(reverse("two_factor"), {"code": code, "next": next_url})


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    import time

    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time() + offset * device.step
    return f"{generator.token():06d}"


@pytest.fixture
def enrolled(world: World) -> Any:
    demo_two_factor_ensure(user=world.coordinator)
    return world.coordinator


# --- passwords ------------------------------------------------------------------------------------------------------

def test_argon2_is_the_first_hasher_and_an_older_hash_is_upgraded_at_sign_in(settings, enrolled) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    enrolled.password = make_password(PASSWORD, hasher="md5")
    enrolled.save()
    sign_in(Client(), enrolled.username)
    enrolled.refresh_from_db()
    assert enrolled.password.startswith("argon2$argon2id$")


def test_the_production_settings_put_argon2_first() -> None:
    text = (ROOT / "ura" / "settings.py").read_text(encoding="utf-8")
    hashers = text.split("PASSWORD_HASHERS = [", 1)[1]
    assert hashers.split('"')[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# --- two factors ----------------------------------------------------------------------------------------------------

def test_a_password_alone_reaches_only_the_code_step(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = sign_in(client, enrolled.username)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
    for url in ("/", reverse("cases:list"), reverse("governance:agreements")):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("two_factor")), url


def test_the_right_code_completes_the_sign_in_and_is_audited(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    sign_in(client, enrolled.username)
    response = enter_code(client, demo_code(), "/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="account.signed_in", actor=enrolled).count() == 1


def test_a_wrong_code_is_refused_and_counted(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    sign_in(client, enrolled.username)
    right = demo_code()
    response = enter_code(client, "000000" if right != "000000" else "111111")
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    assert FailedSignIn.objects.filter(username=enrolled.username.lower()).count() == 1


def test_a_code_cannot_be_used_twice(enrolled) -> None:  # type: ignore[no-untyped-def]
    code = demo_code()
    first, second = Client(), Client()
    sign_in(first, enrolled.username)
    sign_in(second, enrolled.username)
    assert enter_code(first, code).status_code == 302
    assert enter_code(second, code).status_code == 400  # refused: the same code again


def test_an_account_without_a_second_factor_sets_one_up_before_anything_else(world: World) -> None:
    client = Client()
    response = sign_in(client, world.analyst.username)
    assert response["Location"].startswith(reverse("two_factor_enrol"))
    assert client.get("/").status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'class="qr"' in page
    key = re.search(r"data-totp-key>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")  # type: ignore[union-attr]
    device = TOTPDevice.objects.get(user=world.analyst, confirmed=False)
    import base64

    assert base64.b32decode(key) == device.bin_key
    assert client.post(reverse("two_factor_enrol"), {"code": "12345x", "next": "/"}).status_code == 200
    response = client.post(reverse("two_factor_enrol"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="account.two_factor.enrolled", actor=world.analyst).exists()


def test_an_enrolled_account_cannot_enrol_another_device_at_sign_in(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    sign_in(client, enrolled.username)
    response = client.get(reverse("two_factor_enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
    assert not TOTPDevice.objects.filter(user=enrolled, confirmed=False).exists()


def test_htmx_requests_without_the_second_factor_are_sent_to_the_code_step(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    unverified_login(client, enrolled)
    response = client.get("/cases/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("two_factor"))


def test_the_api_treats_a_session_without_the_second_factor_as_signed_out(enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    unverified_login(client, enrolled)
    assert client.get("/api/v1/cases/").status_code in (401, 403)
    client.force_login(enrolled)  # both factors (tests/conftest.py)
    assert client.get("/api/v1/cases/").status_code == 200


# --- locks ----------------------------------------------------------------------------------------------------------

def _refusal(response: Any) -> str:
    """The page's answer without its per-request token."""
    return re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", response.content.decode())


def test_after_five_wrong_passwords_the_right_one_is_refused_like_a_wrong_one(settings, enrolled) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.URA_LOGIN_FAILURES):
        assert REFUSED in sign_in(client, enrolled.username, "wrong-password").content.decode()
    response = sign_in(client, enrolled.username)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action="account.sign_in.locked", object_id=str(enrolled.pk)).count() == 1


def test_a_lock_looks_the_same_for_an_existing_and_an_unknown_account(settings, world: World) -> None:
    answers = []
    for name in (world.coordinator.username, "nobody-at-all"):
        client = Client(REMOTE_ADDR=f"10.0.0.{len(answers) + 1}")
        for _ in range(settings.URA_LOGIN_FAILURES):
            sign_in(client, name, "wrong-password")
        locked = sign_in(client, name, "wrong-password")
        answers.append(_refusal(locked).replace(name, "NAME"))
    assert answers[0] == answers[1]


def test_failed_sign_ins_are_audited_without_the_password_or_an_unknown_name(world: World) -> None:
    sign_in(Client(), world.coordinator.username, "hunter2-secret")
    sign_in(Client(), "hunter2-typed-as-name", "x")
    events = AuditEvent.objects.filter(action="account.sign_in.failed")
    assert events.count() == 2
    for event in events:
        text = str(event.data)
        assert "hunter2" not in text
    assert {e.data["account"] for e in events} == {"known", "unknown"}


def test_many_failures_from_one_address_lock_every_name_from_it(settings, enrolled) -> None:  # type: ignore[no-untyped-def]
    settings.URA_LOGIN_IP_FAILURES = 6
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(6):
        sign_in(attacker, f"guess-{n}", "wrong")
    assert sign_in(attacker, enrolled.username).status_code == 200  # refused
    assert sign_in(Client(REMOTE_ADDR="198.51.100.4"), enrolled.username).status_code == 302  # elsewhere: fine
    call_command("account", "unlock-address", "203.0.113.9", stdout=StringIO())
    assert sign_in(attacker, enrolled.username).status_code == 302


def test_a_lock_lifts_when_the_window_has_passed(settings, enrolled) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.URA_LOGIN_FAILURES):
        sign_in(Client(), enrolled.username, "wrong")
    window = dt.timedelta(seconds=settings.URA_LOGIN_WINDOW_SECONDS + 1)
    FailedSignIn.objects.update(at=dt.datetime.now(dt.UTC) - window)
    assert sign_in(Client(), enrolled.username).status_code == 302


def test_an_administrator_unlocks_a_member_and_only_a_member(settings, world: World, other: World) -> None:
    for name in (world.coordinator.username, other.coordinator.username):
        for _ in range(settings.URA_LOGIN_FAILURES):
            sign_in(Client(), name, "wrong")
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get(reverse("accounts:locked")).content.decode()
    assert world.coordinator.username.lower() in page and other.coordinator.username.lower() not in page
    assert admin.post(reverse("accounts:unlock"), {"username": other.coordinator.username}).status_code == 400
    assert admin.post(reverse("accounts:unlock"), {"username": world.coordinator.username}).status_code == 302
    assert sign_in(Client(), world.coordinator.username).status_code == 302
    assert sign_in(Client(), other.coordinator.username).status_code == 200
    assert AuditEvent.objects.filter(action="account.unlocked", actor=world.admin).count() == 1


def test_the_account_command_unlocks_and_resets_a_second_factor(settings, enrolled) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.URA_LOGIN_FAILURES):
        sign_in(Client(), enrolled.username, "wrong")
    out = StringIO()
    call_command("account", "locked", stdout=out)
    assert enrolled.username.lower() in out.getvalue()
    call_command("account", "unlock", enrolled.username, stdout=StringIO())
    call_command("account", "reset-two-factor", enrolled.username, "--reason", "lost phone", stdout=StringIO())
    assert sign_in(Client(), enrolled.username)["Location"].startswith(reverse("two_factor_enrol"))


# --- sessions -------------------------------------------------------------------------------------------------------

@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sign-in middleware's clock, moved by hand: ``clock.move(minutes=31)``."""
    import time

    class Clock:
        now = time.time()

        def move(self, **delta: float) -> None:
            self.now += dt.timedelta(**delta).total_seconds()

    c = Clock()
    monkeypatch.setattr(middleware, "_now", lambda: c.now)
    monkeypatch.setattr("ura.accounts.apps.time.time", lambda: c.now)
    return c


def test_an_idle_session_ends_after_thirty_minutes(world: World, clock: Any) -> None:
    client = Client()
    client.force_login(world.coordinator)
    clock.move(minutes=20)
    assert client.get("/").status_code == 200
    clock.move(minutes=20)
    assert client.get("/").status_code == 200  # 20 minutes since the last request
    clock.move(minutes=31)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="account.session.expired", data__timeout="idle").count() == 1


def test_a_busy_session_still_ends_after_eight_hours(world: World, clock: Any) -> None:
    client = Client()
    client.force_login(world.coordinator)
    for _ in range(23):
        clock.move(minutes=20)
        assert client.get("/").status_code == 200
    clock.move(minutes=21)
    assert client.get("/")["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="account.session.expired", data__timeout="absolute").count() == 1


def test_disabling_an_account_ends_its_sessions_at_once(world: World) -> None:
    phone, desk = Client(), Client()
    phone.force_login(world.referrer)
    desk.force_login(world.referrer)
    account_disable(actor=world.admin, user=world.referrer, reason="left the school")
    assert not Session.objects.filter(session_key__in=[phone.session.session_key, desk.session.session_key]).exists()
    assert phone.get("/")["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="account.disabled", object_id=str(world.referrer.pk)).count() == 1


def test_an_account_disabled_by_any_means_is_signed_out_on_its_next_request(world: World) -> None:
    client = Client()
    client.force_login(world.referrer)
    type(world.referrer).objects.filter(pk=world.referrer.pk).update(is_active=False)
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_a_password_change_ends_the_other_sessions(world: World) -> None:
    client = Client()
    client.force_login(world.police)
    world.police.set_password("a-new-long-password-2026")
    world.police.save()
    assert client.get("/")["Location"].startswith(reverse("login"))


# --- browser security -----------------------------------------------------------------------------------------------

def test_every_page_carries_a_content_security_policy_without_inline_script(world: World) -> None:
    client = Client()
    for response in (client.get(reverse("login")), _signed_in(client, world).get("/")):
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'"
        assert "unsafe-inline" not in policy["style-src"]
        assert policy["frame-ancestors"] == "'none'"


def _signed_in(client: Client, world: World) -> Client:
    client.force_login(world.coordinator)
    return client


def test_no_template_has_an_inline_script_event_handler_or_style() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|<style|\sstyle\s*=", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in (ROOT / "ura").rglob("templates/**/*.html")
             for m in inline.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    import base64
    import secrets

    key = base64.b64encode(secrets.token_bytes(32)).decode()
    env = {**os.environ, "URA_ENV": "production", "URA_DATA_DIR": str(tmp_path),
           "URA_SECRET_KEY": secrets.token_urlsafe(50), "URA_ALLOWED_HOSTS": "ura.example.org",
           "URA_KEYS": f'{{"active": "k1", "keys": {{"k1": "{key}"}}}}',
           "DATABASE_URL": "postgres://ura@db.example.org:5432/ura"}
    for name in ("URA_DEBUG", "URA_SECRET_KEY_FILE", "URA_KEYS_FILE", "DATABASE_URL_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "ura.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_code_prints_the_demo_accounts_code_and_refuses_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("demo-code", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() in {demo_code(offset=-1), demo_code(), demo_code(offset=1)}
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo-code", stdout=StringIO())



def test_a_signed_in_user_sent_back_to_the_sign_in_page_is_not_caught_in_a_loop(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    response = client.get(reverse("login") + "?next=/login/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_api_docs_page_loads_its_script_from_a_url_under_its_own_policy(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html  # the split view: Swagger UI's set-up script comes from /api/docs/?script
    assert "https://cdn.jsdelivr.net" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src", 1)[1].split(";", 1)[0]
