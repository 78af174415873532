"""Django settings for Décroché.

Every setting that differs between a demo and a production deployment is read from
the environment through the small typed helpers below, which fail loudly on bad values
(STYLE.md habit 8).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _persistent_secret(name: str, path: Path) -> str:
    """Read a secret from the environment, else from a private file created once."""
    value = os.environ.get(name)
    if value:
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DATA_DIR = Path(os.environ.get("DECROCHE_DATA_DIR", PROJECT_DIR / "var"))
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _persistent_secret("SECRET_KEY", DATA_DIR / "secret_key")
# Key of the keyed hash that pseudonymises callers' numbers and social security
# numbers (SPEC §9): they are never stored in clear.
PSEUDONYMISATION_KEY = _persistent_secret("PSEUDONYMISATION_KEY", DATA_DIR / "pseudonymisation_key")
# Keys of the health-related fields of incident reports (SPEC §9, issue 14): Fernet keys,
# newest first, from the environment; without them a key file outside the database.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
FIELD_ENCRYPTION_KEY_FILE = Path(
    os.environ.get("FIELD_ENCRYPTION_KEY_FILE", DATA_DIR / "field.key")
)
# Key of the audit trail's hash chain (SPEC §9, issue 12 §4; `core.chain`), kept outside the
# database: from the environment, else derived from SECRET_KEY (so rotating SECRET_KEY
# without setting this first makes the existing chain unverifiable; docs/security.md).
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "decroche.core.admin_site.DecrocheAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "decroche.core",
    "decroche.jobs",
    "decroche.accounts",
    "decroche.organisation",
    "decroche.contacts",
    "decroche.indicators",
    "decroche.replies",
    "decroche.quality",
    "decroche.training",
    "decroche.wellbeing",
    "decroche.practice",
    "decroche.contract",
    "decroche.planning",
    "decroche.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view requires a logged-in user unless explicitly marked public.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Temporary credentials: every page leads to the password change until done (SPEC §9).
    "decroche.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# --- Second factor (SPEC §9; issue 12) ---------------------------------------------------
# django-otp: TOTP (authenticator app), one-time code by e-mail, recovery codes (static).
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_static",
]
# OTPMiddleware right after AuthenticationMiddleware (it wraps request.user); the
# enforcement after the forced password change: temporary password first, then enrol.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
# The audit trail names the acting user of changes made away from a view (issue 12 §4).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "decroche.core.middleware.AuditActorMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("decroche.accounts.middleware.ForcePasswordChangeMiddleware") + 1,
    "decroche.accounts.middleware.SecondFactorMiddleware",
)
# Roles that see personal data or money always need it (accounts.roles); for the others
# the deployment's policy decides: SECOND_FACTOR_FOR_ALL=1 requires it of everyone.
SECOND_FACTOR_FOR_ALL = env_bool("SECOND_FACTOR_FOR_ALL", False)
OTP_TOTP_ISSUER = "Décroché"
OTP_EMAIL_SUBJECT = "Décroché : votre code de connexion"
OTP_EMAIL_BODY_TEMPLATE_PATH = "accounts/second_factor/email_code.txt"
OTP_EMAIL_TOKEN_VALIDITY = 600
OTP_EMAIL_SENDER = os.environ.get("DEFAULT_FROM_EMAIL", "decroche@localhost")
# In the demo (DEBUG) the e-mailed codes are printed in the server's terminal.
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# -------------------------------------------------------------------------------------------

ROOT_URLCONF = "decroche.urls"
WSGI_APPLICATION = "decroche.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'decroche.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web app read while an import writes; NORMAL is safe with WAL.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# CNIL recommendation of 2022 (SPEC §9; accounts/validators.py): 80 bits of entropy or
# 12 characters of four types or a 7-word passphrase, not a common or leaked password,
# nothing of the person's name or login.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "decroche.accounts.validators.CnilPasswordValidator"},
    {"NAME": "decroche.accounts.validators.CommonPasswordListValidator"},
    {"NAME": "decroche.accounts.validators.PersonalInformationValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in throttling and lockout (SPEC §9; issue 12; accounts/lockout.py) ---
# django-axes counts failures per account and per address; each lock lasts longer (1, 5,
# 30 minutes), the fourth in 24 hours lasts until the security officer lifts it.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "decroche.accounts.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "decroche.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# The contract reasons in metropolitan time (SPEC §1): stored aware, shown in Paris time.
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"

# --- Serving and background work (issue 12 point 8; README "Production") -------------------
# whitenoise serves the collected static files from the WSGI process (gunicorn), gzip and
# brotli copies made by collectstatic; the demo (DEBUG) keeps runserver's static files.
# STATIC_MANIFEST=1 (what `make serve` sets after collectstatic) adds hashed names, cached
# for ever; without it (tests, a fresh clone) no manifest is needed.
if not DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", False)
        else "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# django-tasks: long work (statements, committee packs, schedules) runs in a background
# worker (`decroche db_worker`) fed by the database backend; the tests run the same tasks
# inline (the immediate backend, conftest.py); TASKS_BACKEND=immediate does so anywhere.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# --- Sessions and security headers (SPEC §9; issue 12 point 6) ------------------------------
# A session ends after 30 minutes without a request, and after 10 hours whatever its
# activity (accounts.middleware.SessionTimeoutMiddleware); signing out flushes it.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_LIFETIME_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Outside the demo the application is served over HTTPS only: plain HTTP is redirected
# and browsers are told to keep to HTTPS for a year (HSTS, sent on HTTPS responses only).
# Behind a reverse proxy that terminates TLS, set TRUST_PROXY_HTTPS=1 so that its
# X-Forwarded-Proto header tells Django the request was secure.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if env_bool("TRUST_PROXY_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content security policy (django-csp): scripts, styles, fonts and images from the
# application's own origin only; no inline script and no style attribute anywhere (the
# DSFR's icons are data: images in its style sheet). The browser test fails on any
# violation the pages raise.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "decroche.accounts.middleware.SessionTimeoutMiddleware",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# The judge that scores role-play runs (issue 15 §2, practice/judges.py): a dotted path to
# a class; by default the deterministic rules. Whatever the judge, blocking faults found by
# the rules fail the run ("the rules score, the code decides"); nothing needs a model.
PRACTICE_JUDGE = os.environ.get("PRACTICE_JUDGE", "decroche.practice.judges.RulesJudge")
