"""Ura's one settings file. Everything deployment-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ura.config import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("URA_DATA_DIR") or BASE_DIR.parent / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

URA_ENV = env_choice("URA_ENV", "development", ("development", "production", "test"))
PRODUCTION = URA_ENV == "production"
DEBUG = env_bool("URA_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("URA_DEBUG cannot be on when URA_ENV=production.")


def _secret_key() -> str:
    key = env_str("URA_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("URA_SECRET_KEY must be at least 32 characters.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("URA_SECRET_KEY (or URA_SECRET_KEY_FILE) is required in production.")
    # Development and demo installations keep a generated key in the data directory.
    path = DATA_DIR / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

# Encryption keys (ura/vault/keyring.py): a keyring file or URA_KEYS (JSON), never the database.
VAULT_KEYS = os.environ.get("URA_KEYS") or None
VAULT_KEYS_FILE = Path(os.environ.get("URA_KEYS_FILE") or DATA_DIR / "keys.json")  # created outside production
if PRODUCTION and not (VAULT_KEYS or os.environ.get("URA_KEYS_FILE")):
    raise ImproperlyConfigured("URA_KEYS_FILE (or URA_KEYS) is required in production: see README, Keys.")
ALLOWED_HOSTS = env_list("URA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("URA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "ura.accounts",
    "ura.mechanisms",
    "ura.people",
    "ura.cases",
    "ura.panels",
    "ura.support",
    "ura.governance",
    "ura.tasks",
    "ura.assessments",
    "ura.monitoring",
    "ura.reintegration",
    "ura.matching",
    "ura.api",
    "ura.web",
    "ura.vault",
    # Two-factor sign-in (ura/accounts): authenticator-app (TOTP) devices.
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has the session passed its second factor?
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user's saved language wins over the browser's (after LocaleMiddleware and authentication).
    "ura.web.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts; a session without its second factor reaches only the sign-in steps.
    "ura.accounts.middleware.SignInMiddleware",
    # One audit event per request that reads personal data or is refused (ura.governance.audit).
    "ura.governance.middleware.AuditMiddleware",
    "ura.accounts.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ura.urls"
WSGI_APPLICATION = "ura.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ura.web.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ura.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
                        "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
# Argon2id first: older hashes are upgraded when their owner next signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr-cyrl", _("Serbian (Cyrillic)")),
    ("mk", _("Macedonian")),
    ("bs", _("Bosnian")),
]
FORMAT_MODULE_PATH = ["ura.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("URA_TIME_ZONE", "Europe/Belgrade")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files are served by the app itself (no separate web server needed to try Ura).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute and idle timeouts of a sign-in (ura.accounts.middleware.SignInMiddleware).
SESSION_COOKIE_AGE = env_int("URA_SESSION_SECONDS", 8 * 3600, minimum=300)
URA_SESSION_IDLE_SECONDS = env_int("URA_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True  # pages carry the token (htmx sends it from the page), no script reads the cookie
if PRODUCTION:
    # "__Host-": the browser keeps these cookies to this exact host, over HTTPS only.
    SESSION_COOKIE_NAME = "__Host-ura-session"
    CSRF_COOKIE_NAME = "__Host-ura-csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("URA_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("URA_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("URA_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("URA_HSTS_PRELOAD", PRODUCTION)
# Behind a TLS-terminating proxy: the header it sets, e.g. X-Forwarded-Proto (its value must be "https").
_PROXY_SSL_HEADER = env_str("URA_PROXY_SSL_HEADER")
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# How many trusted proxies append to X-Forwarded-For (0: the client connects directly), for sign-in locks.
URA_PROXY_COUNT = env_int("URA_PROXY_COUNT", 0)

# Sign-in locks: this many failures for one username, or from one address, within the window.
URA_LOGIN_FAILURES = env_int("URA_LOGIN_FAILURES", 5, minimum=1)
URA_LOGIN_IP_FAILURES = env_int("URA_LOGIN_IP_FAILURES", 30, minimum=1)
URA_LOGIN_WINDOW_SECONDS = env_int("URA_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=60)
OTP_TOTP_ISSUER = "Ura"
# Security keys (WebAuthn) are bound to this domain; empty: the host each request was sent to.
URA_WEBAUTHN_RP_ID = env_str("URA_WEBAUTHN_RP_ID") or ""

# Content-Security-Policy (ura.accounts.middleware): nothing inline, nothing from elsewhere.
URA_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
    "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
    "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}
# The API's Swagger page loads Swagger UI from its CDN and styles itself inline; it shows no personal data.
URA_CSP_PATHS: dict[str, dict[str, list[str]]] = {
    "/api/docs/": {**URA_CSP, "script-src": ["'self'", "https://cdn.jsdelivr.net"],
                   "style-src": ["'self'", "'unsafe-inline'", "https://cdn.jsdelivr.net"],
                   "img-src": ["'self'", "data:", "https://cdn.jsdelivr.net"]},
}

EMAIL_BACKEND = env_str("URA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("URA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("URA_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("URA_FROM_EMAIL", "ura@localhost")
URA_BASE_URL = env_str("URA_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("URA_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}

# The machine API (ura/api): token or session authentication, a scope per view, one error shape.
URA_API_RATE = env_str("URA_API_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ura.api.auth.TokenAuthentication",
                                       "ura.api.auth.VerifiedSessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ura.api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["ura.api.auth.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ura.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ura API",
    "DESCRIPTION": "Referrals, cases, information requests and indicators, under the same access policy as "
                   "the web pages. Errors: {\"error\": {\"code\", \"message\", \"fields\"}}.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,
}
