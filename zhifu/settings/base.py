"""Settings read from the environment with one embedded default.

No ``DATABASE_URL``: a SQLite file beside the project. With it: PostgreSQL (or
whatever the URL names). No ``CELERY_BROKER_URL``: Celery runs tasks in process
and propagates their errors. With it: a real broker and worker.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from zhifu.core.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The embedded default is for a developer's machine only; production.py refuses it.
INSECURE_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", INSECURE_DEV_SECRET_KEY)
# Off unless asked for (DJANGO_DEBUG=1); development.py, which `make run` uses, turns it on.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The OpenAPI schema and its viewers: public only while developing.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", default=DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "zhifu.core",
    "zhifu.accounts",
    "zhifu.notifications",
    "profiling",
    "demands",
    "strategy",
    "dispatch",
    "evaluation",
]

MIDDLEWARE = [
    "zhifu.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "zhifu.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "zhifu.core.middleware.RejectNulCharactersMiddleware",
    "zhifu.core.privacy.PersonalDataAuditMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A replayed API write (Idempotency-Key) gets its first answer back, not a second effect.
    "zhifu.core.idempotency.IdempotencyMiddleware",
    # Who changed a setting: the history rows read the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhifu.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "zhifu.urls"
WSGI_APPLICATION = "zhifu.wsgi.application"

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
                "zhifu.accounts.context_processors.portal",
                "zhifu.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database: one default path -------------------------------------------------
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "zhifu.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Importing settings touches no disk: the SQLite file's folder and STATIC_ROOT are made
# when the apps are ready (zhifu.core.apps.CoreConfig.ready).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests on the dev server (and its embedded worker) must wait for the
    # write lock, not fail: a transaction takes it when it begins (a deferred one that
    # reads and then writes can only fail with "database is locked"), and readers do not
    # block the writer (write-ahead log).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["timeout"] = 20
    _options["transaction_mode"] = "IMMEDIATE"
    _options["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer fails a request (and /readyz/) in seconds, not minutes.
    _options.setdefault("connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
    if env_bool("DB_POOL", default=True):
        # psycopg 3's pool keeps the connections (docs/benchmarks.md, "the database
        # driver"); Django requires CONN_MAX_AGE 0 with it. Each taken connection is
        # checked first (conn_health_checks), so a restarted server costs no request.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        _options["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "10")),
            # Seconds a request waits for a free connection before failing.
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Logins resolve a name the way the login guard counts it (NFKC + casefold).
AUTHENTICATION_BACKENDS = ["zhifu.accounts.authentication.NormalisedUsernameBackend"]
# How many reverse proxies in front of gunicorn append to X-Forwarded-For. 0: the client
# is REMOTE_ADDR and the header is ignored (a client can write anything into it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- language: Chinese first, English available ------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Uploaded files are served by zhifu.core.media.protected_media only: "django" streams them,
# "x-accel" hands them to nginx through an internal location (docs/operations.md).
MEDIA_SERVE_MODE = os.environ.get("MEDIA_SERVE_MODE", "django")
MEDIA_INTERNAL_URL = os.environ.get("MEDIA_INTERNAL_URL", "/protected-media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# An import's preview keeps its file this long for the commit step; then it is purged.
STAGED_IMPORT_HOURS = int(os.environ.get("STAGED_IMPORT_HOURS", "24"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files above this size are refused with a clear message, not stored.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- cache: shared across processes when Redis is configured ---------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Degrades to "no cache" while Redis is unreachable instead of failing requests.
    CACHES = {"default": {"BACKEND": "zhifu.core.cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhifu.accounts.authentication.RevocableJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "zhifu.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhifu.core.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_THROTTLE_RATE", "10/min")},
    # The throttles find the client the same way as the login guard.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "15"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a digest of the password hash: a password change ends them all.
    "CHECK_REVOKE_TOKEN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_OBTAIN_SERIALIZER": "zhifu.accounts.api.serializers.TokenObtainSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "智服 zhifu API",
    "DESCRIPTION": (
        "The API of the 智服 service platform. Specialists' mobile clients log in with "
        "JWT (POST /api/v1/auth/token/), send `Authorization: Bearer <access>`, and "
        "refresh with rotation. Every error has one shape: "
        '`{"error": {"code", "message", "fields"}}`, in the language of Accept-Language.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several apps have a "status", "source" or "kind": name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "dispatch.choices.TaskStatus",
        "TaskSourceEnum": "dispatch.choices.TaskSource",
        "RunStatusEnum": "dispatch.choices.RunStatus",
        "RunTriggerEnum": "dispatch.choices.RunTrigger",
        "DispatchModeEnum": "dispatch.choices.DispatchMode",
        "ExceptionKindEnum": "dispatch.choices.ExceptionKind",
        "DemandStatusEnum": "demands.choices.DemandStatus",
        "DemandSourceEnum": "demands.choices.DemandSource",
        "DemandKindEnum": "demands.choices.DemandKind",
        "SlaStateEnum": "demands.choices.SlaState",
        "ApprovalLevelEnum": "demands.choices.ApprovalLevel",
        "CatalogueTierEnum": "demands.choices.Tier",
        "ValueSourceEnum": "profiling.choices.ValueSource",
        "VerdictEnum": "profiling.choices.Verdict",
        "RetailerSegmentEnum": "profiling.choices.Segment",
        "RetailerStatusEnum": "zhifu.accounts.choices.RetailerStatus",
        "RoleEnum": "zhifu.accounts.choices.Role",
    },
}

# --- Celery ----------------------------------------------------------------------------
_BROKER = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run in the calling process and their errors propagate.
CELERY_BROKER_URL = _BROKER or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not _BROKER
# Without a broker, ``make run`` (the development settings) hands background work to one
# thread of the web process and runs beat's schedule there too (zhifu/core/embedded.py);
# elsewhere (tests, one-off commands) a task runs in the caller.
EMBEDDED_WORKER = False
EMBEDDED_BEAT = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
# Solver runs get their own queue, served by their own worker (docker-compose.yml:
# worker-dispatch), so a long solve never holds up the SLA sweep, the sweepers or any other
# short job (worker-default). Every task is named here; tests/core/test_queues.py checks
# that none is missing and that the compose workers serve exactly these queues.
DISPATCH_QUEUE = os.environ.get("DISPATCH_QUEUE", "dispatch")
DEFAULT_QUEUE_TASKS = (
    "core.health_probe", "core.resend_stale_jobs", "core.personal_data_purge",
    "accounts.purge_staged_imports",
    "profiling.recompute_profiles",
    "demands.sla_sweep",
    "strategy.generate_strategies", "strategy.collect_feedback", "strategy.generate_nightly",
    # Beat's nightly run only writes the run row and queues it; the sweeper of dead runs
    # must run even while every dispatch slot is busy solving.
    "dispatch.plan_tomorrow", "dispatch.recover_runs",
    "evaluation.points_sync", "evaluation.month_close",
)
DISPATCH_QUEUE_TASKS = ("dispatch.execute_run", "dispatch.solve_district")
CELERY_TASK_ROUTES = {
    **{name: {"queue": CELERY_TASK_DEFAULT_QUEUE} for name in DEFAULT_QUEUE_TASKS},
    **{name: {"queue": DISPATCH_QUEUE} for name in DISPATCH_QUEUE_TASKS},
}
# Unacknowledged messages (a worker died holding them) go back to the queue after this.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": 2,
}
# With the broker down, a request gives up sending within about a second (the job row
# stays queued for the sweeper) instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0,
                                    "interval_step": 0.3, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE: dict = {
    "demands-sla-sweep": {"task": "demands.sla_sweep", "schedule": 300.0},
    "core-resend-stale-jobs": {"task": "core.resend_stale_jobs", "schedule": 60.0},
    "core-personal-data-purge": {"task": "core.personal_data_purge",
                                 "schedule": crontab(hour=3, minute=30)},
    "accounts-purge-staged-imports": {"task": "accounts.purge_staged_imports",
                                      "schedule": crontab(hour=3, minute=45)},
    "strategy-collect-feedback": {"task": "strategy.collect_feedback",
                                  "schedule": crontab(hour=2, minute=30)},
    "evaluation-points-sync": {"task": "evaluation.points_sync",
                               "schedule": crontab(hour=1, minute=30)},
    "evaluation-month-close": {"task": "evaluation.month_close",
                               "schedule": crontab(day_of_month=1, hour=4, minute=0)},
    "strategy-generate": {"task": "strategy.generate_nightly",
                          "schedule": crontab(hour=3, minute=0)},
    "dispatch-recover-runs": {"task": "dispatch.recover_runs", "schedule": 60.0},
    "dispatch-plan-tomorrow": {
        "task": "dispatch.plan_tomorrow",
        "schedule": crontab(hour=int(os.environ.get("DISPATCH_NIGHTLY_HOUR", "20")), minute=0),
    },
}
# Seconds on top of the solver's own time limit before a running dispatch run is presumed
# dead and re-sent.
DISPATCH_LEASE_MARGIN_SECONDS = int(os.environ.get("DISPATCH_LEASE_MARGIN_SECONDS", "120"))
DISPATCH_QUEUED_GRACE_SECONDS = int(os.environ.get("DISPATCH_QUEUED_GRACE_SECONDS", "300"))
# Bounds on what one person may ask of the solver (docs/security.md, "unbounded work").
DISPATCH_PLAN_HORIZON_DAYS = int(os.environ.get("DISPATCH_PLAN_HORIZON_DAYS", "14"))
DISPATCH_RUNS_PER_HOUR = int(os.environ.get("DISPATCH_RUNS_PER_HOUR", "30"))
# How much the plan weighs evening out the work minutes between a district's people
# against travel (0 turns the balance off).
DISPATCH_IMBALANCE_WEIGHT = float(os.environ.get("DISPATCH_IMBALANCE_WEIGHT", "0.5"))
# Seconds per district a re-plan after a mid-day change may solve.
DISPATCH_REPLAN_SECONDS = float(os.environ.get("DISPATCH_REPLAN_SECONDS", "5"))
# The end of a field day (dispatch.services.rollover): how much more urgent undone work
# becomes each day it is rolled over, after how many rollovers a demand's task is escalated
# to the district lead, and how many times a missed planned visit is carried forward.
DISPATCH_ROLLOVER_PRIORITY_STEP = float(os.environ.get("DISPATCH_ROLLOVER_PRIORITY_STEP", "20"))
DISPATCH_ESCALATE_AFTER_ROLLOVERS = int(os.environ.get("DISPATCH_ESCALATE_AFTER_ROLLOVERS", "2"))
DISPATCH_VISIT_MAX_ROLLOVERS = int(os.environ.get("DISPATCH_VISIT_MAX_ROLLOVERS", "2"))
# Cross-district reinforcement (dispatch.services.reinforcement): neighbouring districts are
# those whose centres lie this close; work worth borrowing for is mandatory or at least this
# priority; the extra solve gets at most this many seconds.
DISPATCH_REINFORCEMENT_KM = float(os.environ.get("DISPATCH_REINFORCEMENT_KM", "30"))
DISPATCH_REINFORCEMENT_MIN_PRIORITY = float(
    os.environ.get("DISPATCH_REINFORCEMENT_MIN_PRIORITY", "70"))
DISPATCH_REINFORCEMENT_SECONDS = float(os.environ.get("DISPATCH_REINFORCEMENT_SECONDS", "5"))
# A "shop closed" report sends the visit to another slot at least this many minutes later
# (or to the next working day when the day has no such slot left), not straight back.
DISPATCH_SHOP_CLOSED_RETRY_MINUTES = int(os.environ.get("DISPATCH_SHOP_CLOSED_RETRY_MINUTES",
                                                        "120"))

# --- people's data ------------------------------------------------------------------
# Log lines never carry a full phone or ID number (the masking filter on every handler) and
# carry the id of the request they belong to; LOG_FORMAT=json writes one JSON object a line.
LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"),
                         log_format=os.environ.get("LOG_FORMAT", "plain"))
LOGGING["loggers"] = {"django.db.backends": {"level": "WARNING"}}

# Retention (days): a closed shop's personal data; notifications; the audit trail.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", str(3 * 365)))
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "365"))
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(3 * 365)))

# Seconds after which an idle web session ends.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
