from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from ura.config import env_bool, env_choice, env_int, env_str


def test_a_misspelt_boolean_stops_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("URA_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="URA_DEBUG"):
        env_bool("URA_DEBUG", default=False)


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("off", False), ("", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("URA_X", raw)
    assert env_bool("URA_X", default=not expected) is expected


def test_a_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "key"
    secret.write_text("s3cret-value\n")
    monkeypatch.setenv("URA_SECRET_KEY_FILE", str(secret))
    assert env_str("URA_SECRET_KEY") == "s3cret-value"


def test_an_unreadable_secret_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("URA_SECRET_KEY_FILE", "/nonexistent/key")
    with pytest.raises(ImproperlyConfigured, match="URA_SECRET_KEY_FILE"):
        env_str("URA_SECRET_KEY")


def test_integers_and_choices_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("URA_N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("URA_N", 1)
    monkeypatch.setenv("URA_ENV", "prod")
    with pytest.raises(ImproperlyConfigured, match="production"):
        env_choice("URA_ENV", "development", ("development", "production"))


def test_production_without_a_secret_key_refuses_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "URA_ENV": "production", "URA_DATA_DIR": str(tmp_path), "URA_ALLOWED_HOSTS": "ura.example"}
    env.pop("URA_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "ura.cli", "check"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "URA_SECRET_KEY" in result.stderr
