"""The language switcher: remembered on the user once signed in, in the cookie before."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from tests.world import World
from ura.governance.models import AuditEvent


def test_it_remembers_an_anonymous_choice_in_the_cookie(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/language/", {"language": "sq", "next": "/login/"})
    assert response.status_code == 302 and response.url == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sq"
    assert '<html lang="sq">' in client.get("/login/").content.decode()


def test_the_sign_in_page_offers_every_language(client, db) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login/").content.decode()
    assert 'action="/language/"' in page
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}"' in page


def test_it_saves_a_signed_in_users_choice_on_the_user(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.coordinator)
    client.post("/language/", {"language": "sr-cyrl", "next": "/"})
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "sr-cyrl"
    assert AuditEvent.objects.filter(action="account.language_changed", actor=world.coordinator).exists()


def test_a_users_saved_language_wins_over_the_browsers(client, world: World) -> None:  # type: ignore[no-untyped-def]
    world.referrer.language = "mk"
    world.referrer.save()
    client.force_login(world.referrer)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sq")
    assert '<html lang="mk">' in response.content.decode()
    assert response.headers["Content-Language"] == "mk"


def test_the_page_names_serbian_scripts_with_bcp47_tags(client, world: World) -> None:  # type: ignore[no-untyped-def]
    world.referrer.language = "sr-latn"
    world.referrer.save()
    client.force_login(world.referrer)
    assert '<html lang="sr-Latn">' in client.get("/").content.decode()


def test_it_refuses_a_language_ura_does_not_offer(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.coordinator)
    response = client.post("/language/", {"language": "xx", "next": "/"}, follow=True)
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "en"
    assert "not available in that language" in response.content.decode()


def test_it_does_not_redirect_to_another_site(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/language/", {"language": "bs", "next": "https://evil.example/"})
    assert response.url == "/"


def test_it_only_answers_post(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/language/").status_code == 405


def test_dates_and_numbers_follow_the_language() -> None:
    from django.utils import formats, translation

    day, when = dt.date(2026, 3, 4), dt.datetime(2026, 3, 4, 14, 30)  # noqa: DTZ001
    expected = {"en": ("04.03.2026", "14:30"), "sq": ("04.03.2026", "14:30"), "bs": ("04.03.2026.", "14:30"),
                "sr-latn": ("4.03.2026.", "14:30"), "sr-cyrl": ("4.03.2026.", "14:30"), "mk": ("4.03.2026", "14:30")}
    for language, (short_date, time) in expected.items():
        with translation.override(language):
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == short_date, language
            assert formats.time_format(when, "TIME_FORMAT") == time, language
            if language != "en":
                assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5", language


def test_reminders_are_written_in_the_recipients_language(world: World) -> None:
    from django.core import mail
    from django.utils import translation

    from ura.tasks.services import reminders_send

    case = world.refer()
    world.coordinator.language = "sr-cyrl"
    world.coordinator.save()
    due = case.referred_on + dt.timedelta(days=10)
    reminders_send(today=due)
    (message,) = [m for m in mail.outbox if m.to == [world.coordinator.email]]
    with translation.override("sr-cyrl"):
        title = translation.gettext("Screen referral %(ref)s") % {"ref": case.reference}
        subject = translation.gettext("Ura: %(n)s items due") % {"n": 1}
    assert message.subject == subject
    assert title in message.body
    assert due.strftime("%-d.%m.%Y.") in message.body


def test_the_switcher_names_every_language_ura_offers_and_no_other() -> None:
    from ura.web.language import LANGUAGE_NAMES

    assert list(LANGUAGE_NAMES) == [code for code, _name in settings.LANGUAGES]


def test_api_errors_come_in_the_token_owners_language(client, world: World) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from ura.api.services import token_create

    world.coordinator.language = "sr-cyrl"
    world.coordinator.save()
    _token, secret = token_create(actor=None, owner=world.coordinator, name="school system", scopes=["cases:read"])
    response = client.post("/api/v1/referrals/", data="{}", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {secret}", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("sr-cyrl"):
        expected = translation.gettext("This token does not have the scope this operation needs.")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == expected


def test_a_language_picked_on_the_sign_in_page_becomes_the_users(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.post("/language/", {"language": "sq", "next": "/login/"})
    client.force_login(world.referrer)  # the same browser session signs in
    assert '<html lang="sq">' in client.get("/").content.decode()
    world.referrer.refresh_from_db()
    assert world.referrer.language == "sq"


def test_a_cookie_left_on_the_browser_does_not_change_the_next_users_language(client, world: World) -> None:  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "mk"
    client.force_login(world.referrer)
    assert '<html lang="en">' in client.get("/").content.decode()
    world.referrer.refresh_from_db()
    assert world.referrer.language == "en"
