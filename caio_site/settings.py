"""Settings for CAIO Alpha Swarm.

This is the only module that reads the environment. Every value is read once, with a typed
cast from ``caio_site.runtime.env_grammar`` (the grammar ``validate_runtime_env`` judges env
files with), and a malformed value stops start-up with ImproperlyConfigured instead of being
guessed at. Code elsewhere reads ``settings.X``.

With nothing set the project runs in its embedded default shape: SQLite under ``var/``, an
in-process cache, eager Celery, Inngest dev mode and a file email backend.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from caio_site.runtime import env_grammar as grammar

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# An optional env file is read only when asked for, so tests and CI see exactly the process
# environment they were given. Keys the process sets win over the file.
_ENV_FILE = env.str("CAIO_ENV_FILE", default="")
if _ENV_FILE:
    try:
        grammar.load_env_file(_ENV_FILE)
    except grammar.EnvFileError as exc:
        raise ImproperlyConfigured(f"CAIO_ENV_FILE: {exc}") from exc

ENVIRONMENT = grammar.choice(env, "ENVIRONMENT", "development", grammar.ENVIRONMENTS)
IS_PRODUCTION_LIKE = ENVIRONMENT in {"staging", "production"}

DEBUG = grammar.boolean(env, "DEBUG", default=not IS_PRODUCTION_LIKE)
# The development key is only a default for the embedded shape; validate_runtime_env and the
# system checks refuse it in staging and production.
INSECURE_DEV_SECRET_KEY = "django-insecure-caio-embedded-default-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "caio_site.apps.CaioSiteConfig",
    "agents",
    "approvals",
    "traces",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caio_site.runtime.correlation.CorrelationIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "caio_site.urls"
WSGI_APPLICATION = "caio_site.wsgi.application"

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
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = VAR_DIR / "caio.sqlite3"
DATABASES = {"default": grammar.database(env, default=f"sqlite:///{DEFAULT_SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]) == str(DEFAULT_SQLITE_PATH):
        # var/ is not in git, and SQLite cannot create a file in a missing directory.
        VAR_DIR.mkdir(exist_ok=True)
    # Concurrent writers (eager Celery + the dev server) wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = grammar.positive_int(env, "DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis, cache, runtime state ------------------------------------------------------------
REDIS_URL = grammar.url(env, "REDIS_URL")
REDIS_REQUIRED = grammar.boolean(env, "REDIS_REQUIRED", default=False)
if REDIS_REQUIRED and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_REQUIRED=true needs REDIS_URL")
REDIS_SOCKET_TIMEOUT = grammar.positive_number(env, "REDIS_SOCKET_TIMEOUT", 0.5)
RATE_LIMIT_REDIS_NAMESPACE = env.str("RATE_LIMIT_REDIS_NAMESPACE", default="caio:rl")
# Prefix of the Redis keys of runtime locks (caio_site.runtime.locks).
CONTEXT_REDIS_PREFIX = env.str("CONTEXT_REDIS_PREFIX", default="caio:ctx")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                # Without REDIS_REQUIRED the cache is an optimisation: an outage degrades to
                # misses instead of failing requests.
                "IGNORE_EXCEPTIONS": not REDIS_REQUIRED,
            },
            "KEY_PREFIX": "caio",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database so a Redis outage never logs the Head of Sales out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = grammar.url(env, "CELERY_BROKER_URL")
# No broker means the embedded shape: tasks run in process, on commit, as a worker would.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = grammar.positive_int(env, "CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = grammar.positive_int(env, "CELERY_TASK_SOFT_TIME_LIMIT", 240)

# --- inngest --------------------------------------------------------------------------------
INNGEST_SIGNING_KEY = env.str("INNGEST_SIGNING_KEY", default="")
INNGEST_EVENT_KEY = env.str("INNGEST_EVENT_KEY", default="")
INNGEST_REQUIRED = grammar.boolean(env, "INNGEST_REQUIRED", default=False)
INNGEST_DEV = grammar.boolean(env, "INNGEST_DEV", default=not IS_PRODUCTION_LIKE)
INNGEST_APP_ID = env.str("INNGEST_APP_ID", default=f"caio-alpha-swarm-{ENVIRONMENT}")
INNGEST_BASE_URL = env.str("INNGEST_BASE_URL", default="")
INNGEST_SERVE_ORIGIN = env.str("INNGEST_SERVE_ORIGIN", default="")

# --- traces ---------------------------------------------------------------------------------
TRACE_ENVELOPE_ENABLED = grammar.boolean(env, "TRACE_ENVELOPE_ENABLED", default=True)
TRACE_ENVELOPE_FILE = env.str("TRACE_ENVELOPE_FILE", default="")
TRACE_RETENTION_DAYS = grammar.int_choice(
    env, "TRACE_RETENTION_DAYS", 30, grammar.TRACE_RETENTION_DAYS
)
TRACE_FLUSH_EVERY = grammar.positive_int(env, "TRACE_FLUSH_EVERY", 200)

# --- email ----------------------------------------------------------------------------------
EMAIL_URL = grammar.url(env, "EMAIL_URL")
SENT_MAIL_DIR = VAR_DIR / "sent-mail"
if EMAIL_URL:
    globals().update(grammar.email(env))
else:
    # The simulated send boundary: messages are written to files an operator can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(SENT_MAIL_DIR)
# No EMAIL_URL, or a console/file/memory backend: approved email reaches nobody.
EMAIL_SIMULATED = grammar.email_simulated(EMAIL_URL)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CAIO Sales <sales@caio.example>")
SENDER_POSTAL_ADDRESS = env.str(
    "SENDER_POSTAL_ADDRESS", default="CAIO Inc., 548 Market St #12345, San Francisco, CA 94104"
)
OPS_NOTIFICATION_EMAILS = env.list("OPS_NOTIFICATION_EMAILS", default=[])

# --- integrations and webhooks --------------------------------------------------------------
INTEGRATIONS = grammar.INTEGRATIONS
INTEGRATION_MODES = grammar.integration_modes(env)
ALLOW_SIMULATED_SEND = grammar.boolean(env, "ALLOW_SIMULATED_SEND", default=False)
WEBHOOK_SECRETS = grammar.mapping(env, "WEBHOOK_SECRETS")
WEBHOOK_TOLERANCE_SECONDS = 300
SLACK_WEBHOOK_URL = grammar.url(env, "SLACK_WEBHOOK_URL")

# --- auth, i18n, static ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "admin:login"
# Password for the demo users created by seed_demo; empty → a random one, printed once.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION_LIKE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

if IS_PRODUCTION_LIKE:
    SESSION_COOKIE_SECURE = grammar.boolean(env, "SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = grammar.boolean(env, "CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "caio_site.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAIO Alpha Swarm API",
    "DESCRIPTION": "Control plane for AI sales agents: leads, approval queue, traces, replay.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several payloads have a field called "status"; name the health ones so they do not collide.
    "ENUM_NAME_OVERRIDES": {
        "ReadinessStatusEnum": ["ready", "not_ready"],
        "DependencyStatusEnum": ["ok", "warn", "fail"],
        "TraceStatusEnum": "traces.choices.TraceStatus",
        "ReplayRunStatusEnum": "evaluation.choices.ReplayRunStatus",
        "CaseOutcomeEnum": "evaluation.choices.CaseOutcome",
    },
}

# --- logging --------------------------------------------------------------------------------
LOG_LEVEL = grammar.choice(env, "LOG_LEVEL", "INFO", grammar.LOG_LEVELS).upper()
LOG_FORMAT = grammar.choice(
    env, "LOG_FORMAT", "json" if IS_PRODUCTION_LIKE else "console", grammar.LOG_FORMATS
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "caio_site.runtime.logging.CorrelationIdFilter"}},
    "formatters": {
        "json": {"()": "caio_site.runtime.logging.JsonFormatter"},
        "console": {
            "format": "%(asctime)s %(levelname)-7s %(name)s [%(correlation_id)s] %(message)s"
        },
    },
    "handlers": {
        "default": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["correlation"],
        }
    },
    "root": {"handlers": ["default"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "WARNING" if LOG_LEVEL == "INFO" else LOG_LEVEL},
    },
}
