"""Django settings for Safeguard.

One settings module, driven by environment variables (docs/deploy.md lists them). The defaults
are for a developer's machine: DEBUG on, embedded PostgreSQL, console e-mail. Production sets
SAFEGUARD_ENV=production, DATABASE_URL, SAFEGUARD_SECRET_KEY and SAFEGUARD_ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from safeguard.database import database_settings

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("SAFEGUARD_BASE_DIR", SRC_DIR.parent.parent))
VAR_DIR = BASE_DIR / "var"

PRODUCTION = os.environ.get("SAFEGUARD_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("SAFEGUARD_DEBUG", "1") == "1"


def _secret_key() -> str:
    key = os.environ.get("SAFEGUARD_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SAFEGUARD_SECRET_KEY must be set in production")
    # A developer's key, made once and kept under var/ (never committed).
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own origin (api/docs.py)
    # Sign-in security (docs/security.md): TOTP second factor with recovery codes, lockout.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "safeguard.access",
    "safeguard.access.sessions",
    "safeguard.people",
    "safeguard.reports",
    "safeguard.orders",
    "safeguard.compliance",
    "safeguard.screening",
    "safeguard.oversight",
    "safeguard.documents",
    "safeguard.demo",
    # The job queue (docs/adr/0004-job-queue.md): its tables, worker command and admin pages.
    "procrastinate.contrib.django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy, no-store on signed-in pages.
    "safeguard.access.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session timeouts, then: no page but sign-in until the second factor.
    "safeguard.access.security.SessionTimeoutMiddleware",
    "safeguard.access.security.TwoFactorRequiredMiddleware",
    "safeguard.access.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"
ASGI_APPLICATION = "safeguard.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguard.access.context_processors.capabilities",
            ],
        },
    },
]

DATABASES = {"default": database_settings(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Store UTC, show Europe/London (DESIGN.md, Conventions: Time).
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    SRC_DIR / "static",
    # GOV.UK Frontend and htmx come from npm, never hand-copied (DESIGN.md, Style).
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    # Chart.js draws the oversight charts client-side (its UMD build: no eval, no injected CSS).
    ("chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# In development, serve static files straight from STATICFILES_DIRS (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Sign-in security (docs/security.md) -------------------------------------------------------
# Database sessions that record their user, so sign-out and account closure end them all at once.
SESSION_ENGINE = "safeguard.access.sessions.backend"
# Idle timeout: a session ends this long after its last request (access.security; the session
# row's own expiry, pushed back as the user works, enforces it in the database too).
SAFEGUARD_SESSION_IDLE_MINUTES = int(os.environ.get("SAFEGUARD_SESSION_IDLE_MINUTES", "30"))
# Absolute timeout: however active, a session ends this long after sign-in.
SAFEGUARD_SESSION_ABSOLUTE_HOURS = float(os.environ.get("SAFEGUARD_SESSION_ABSOLUTE_HOURS", "10"))
SESSION_COOKIE_AGE = SAFEGUARD_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # shared computers: closing the browser signs out
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Two-factor authentication (django-otp): TOTP apps, and one-use recovery codes.
OTP_TOTP_ISSUER = os.environ.get("SAFEGUARD_OTP_ISSUER", "Safeguard")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the device admin never shows a TOTP secret
# Lockout (django-axes): 5 failed sign-ins (password or code) for one username from one address
# lock that pair for 30 minutes, counted from the last failure before the lock.
AXES_FAILURE_LIMIT = int(os.environ.get("SAFEGUARD_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAFEGUARD_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False  # reset by access.views once the second factor is also right
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends when the page says
AXES_LOCKOUT_CALLABLE = "safeguard.access.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "safeguard.access.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records each sign-in and sign-out
AXES_VERBOSE = False
# Behind a reverse proxy that appends the client's address to X-Forwarded-For, how many such
# proxies to trust (0: use the connection's address; never trust a header nobody controls).
SAFEGUARD_TRUSTED_PROXIES = int(os.environ.get("SAFEGUARD_TRUSTED_PROXIES", "0"))
if PRODUCTION:
    # The __Host- prefix pins the cookies to this host over HTTPS, path /, no Domain.
    SESSION_COOKIE_NAME = "__Host-safeguard-session"
    CSRF_COOKIE_NAME = "__Host-safeguard-csrf"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SAFEGUARD_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get(
    "SAFEGUARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("SAFEGUARD_FROM_EMAIL", "safeguard@localhost")
# Links in e-mails and calendar events are absolute: the address users reach the service at.
SAFEGUARD_BASE_URL = os.environ.get("SAFEGUARD_BASE_URL", "http://127.0.0.1:8000")

# --- Job queue, reminders and review tasks (docs/adr/0004-job-queue.md, docs/reminders.md) -----
# Procrastinate finds the jobs in each app's jobs.py; the worker is `safeguard procrastinate
# worker`, which `make run` starts beside the web server (scripts/run-with-worker.sh).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"
PROCRASTINATE_IMPORT_PATHS = ["safeguard.jobs"]  # jobs for the queue itself (stalled jobs)
# Run jobs inline instead of queueing them: for tests and one-off scripts, never in production.
SAFEGUARD_JOBS_EAGER = os.environ.get("SAFEGUARD_JOBS_EAGER", "0") == "1"
# How often the worker runs the deadline reminders and the review-task sweep (cron syntax).
SAFEGUARD_REMINDER_CRON = os.environ.get("SAFEGUARD_REMINDER_CRON", "*/5 * * * *")
SAFEGUARD_REVIEW_CRON = os.environ.get("SAFEGUARD_REVIEW_CRON", "10 * * * *")
# Lead times, in hours before a deadline: "remind" tells the officer in the case, "escalate"
# tells the supervisor. Keyed by deadline (rules/clock.py names, plus "hearing", "term-end" and
# "review"); "default" covers the rest. Counted as the deadline itself is counted: for a
# deadline that disregards Sundays and bank holidays, so does its lead time. A JSON object in
# SAFEGUARD_REMINDER_LEAD_TIMES overrides entries: '{"dvpo-hearing": {"escalate": 6}}'.
SAFEGUARD_REMINDER_LEAD_TIMES = {
    "default": {"remind": 48, "escalate": 12},
    "dvpo-hearing": {"remind": 24, "escalate": 12},
    "dapo-hearing": {"remind": 24, "escalate": 12},
    "court-appearance": {"remind": 8, "escalate": 4},
    "initial-notification": {"remind": 48, "escalate": 12},
    "hearing": {"remind": 72, "escalate": 24},
    "term-end": {"remind": 28 * 24, "escalate": 7 * 24},
    "review": {"remind": 7 * 24, "escalate": 24},
}
SAFEGUARD_REMINDER_LEAD_TIMES_OVERRIDE = os.environ.get("SAFEGUARD_REMINDER_LEAD_TIMES", "")
# Review tasks: how many days before a fixed term ends the review (renew, let lapse or vary)
# opens, by order type; and how long an interim order may wait for its main hearing to be listed.
SAFEGUARD_REVIEW_BEFORE_EXPIRY_DAYS = {
    "default": 56,
    "spo": 90,
    "interim-spo": 14,
    "dvpo": 7,
    "dapo": 56,
}
SAFEGUARD_INTERIM_UNLISTED_GRACE_DAYS = int(os.environ.get("SAFEGUARD_INTERIM_UNLISTED_DAYS", "7"))

# The REST API (docs/api.md): /api/v1/, schema at /api/schema/, docs at /api/docs/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Systems: an API token (access.ApiToken), scoped to a force and a role.
        "safeguard.api.authentication.ApiTokenAuthentication",
        # The browser: the signed-in session (with its second factor; CSRF enforced).
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON only: no browsable API (its forms would list related records outside restrict()).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["safeguard.api.negotiation.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "safeguard.api.negotiation.AlwaysAnswer",
    "DEFAULT_PAGINATION_CLASS": "safeguard.api.filtering.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "safeguard.api.filtering.RestrictedOrdering",
    ],
    "EXCEPTION_HANDLER": "safeguard.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard API",
    "DESCRIPTION": "Reports, people, orders and the defendant's duties, through the same rules "
    "and audit trail as the web service. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields a role may not see are left out of responses, so no response field is required.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {
        "HearingKindEnum": "safeguard.orders.models.HearingKind",
        "ConditionKindEnum": "safeguard.orders.models.ConditionKind",
        "ApplicationKindEnum": "safeguard.orders.models.ApplicationKind",
        "NotificationKindEnum": "safeguard.compliance.models.NotificationKind",
        "ChangeKindEnum": "safeguard.compliance.api.CHANGE_KINDS",
        "DetailKindEnum": "safeguard.people.models.DetailKind",
        "AliasKindEnum": "safeguard.people.models.AliasKind",
        "HearingOutcomeEnum": "safeguard.orders.models.Outcome",
        "CandidateStatusEnum": "safeguard.screening.models.CandidateStatus",
        "CandidateSettableStatusEnum": "safeguard.screening.api.SETTABLE",
        "DecidedOutcomeEnum": "safeguard.orders.api.DECIDED_OUTCOMES",
        "AppealOutcomeEnum": "safeguard.orders.models.AppealOutcome",
        "DecidedAppealOutcomeEnum": "safeguard.orders.api.DECIDED_APPEAL_OUTCOMES",
        "BreachOutcomeEnum": "safeguard.compliance.models.BreachOutcome",
        "ReportStatusEnum": "safeguard.reports.models.ReportStatus",
        "NotificationStatusEnum": "safeguard.orders.api.NOTIFICATION_STATUSES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safeguard.api.schema.add_error_responses",
        "safeguard.api.schema.add_links",
        "safeguard.api.schema.require_expected_version",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Proclaimed extra bank holidays can also be added in the admin (orders.ProclaimedBankHoliday);
# this setting is for deployments that manage them as configuration.
SAFEGUARD_EXTRA_BANK_HOLIDAYS = [
    d for d in os.environ.get("SAFEGUARD_EXTRA_BANK_HOLIDAYS", "").split(",") if d
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if PRODUCTION else "WARNING"},
}
