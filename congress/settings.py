"""Settings for Tongxin, read from the environment (django-environ).

Every variable is listed with a comment in `.env.example`. Outside DEBUG a missing secret is an
error, so a production node never starts with a default key.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: a production node must be given one

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "congress",
    "deputies",
    "suggestions",
    "supervision",
    "contact_stations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "congress.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congress.middleware.PasswordChangeRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "congress.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "congress.middleware.SecurityHeadersMiddleware",
    # axes goes last so that it sees the final authentication result
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"
ASGI_APPLICATION = "congress.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congress.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ is the embedded default; production sets DATABASE_URL to PostgreSQL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tongxin.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two racing workflow transitions
    # serialise instead of both reading the old state (SQLite has no SELECT ... FOR UPDATE).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so that tests with threads and a real Celery worker share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "congress.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The graded-protection profile (等保 2.0) adds character classes; switch with PASSWORD_PROFILE.
PASSWORD_PROFILE = env.str("PASSWORD_PROFILE", default="standard")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Days a password lives and how many earlier ones it may not repeat; 0 turns either off.
PASSWORD_MAX_AGE_DAYS = 0
PASSWORD_HISTORY_COUNT = 0
if PASSWORD_PROFILE == "graded":  # noqa: S105  (a profile name, not a password)
    AUTH_PASSWORD_VALIDATORS += [
        {"NAME": "congress.passwords.CharacterClassValidator"},
        {"NAME": "congress.passwords.PasswordHistoryValidator"},
    ]
    PASSWORD_MAX_AGE_DAYS = 90
    PASSWORD_HISTORY_COUNT = 5
# Office staff, administrators and auditors confirm every login with a TOTP code (SECURITY S8).
# On by default outside DEBUG; the demo (`make run`) leaves it off unless OTP_REQUIRED=1.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "同心"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username on one IP after 5 failures for 30 minutes (SECURITY S7), so that
# colleagues behind the same office NAT are not locked out by one person's typing.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions: 30 minutes idle, 12 hours absolute (SECURITY S10).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis and written through to the database, so a cache flush or eviction
    # logs nobody out and "log out everywhere" can still find every session row.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tongxin_cache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
(BASE_DIR / "static").mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# No URL pattern serves MEDIA_URL, not even with DEBUG: uploads go out only through permission-checked
# views (congress.uploads.serve_upload; SECURITY S16, pinned by tests/congress/test_uploads.py).
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Field encryption (SECURITY S17): a key ring of base64 AES-256 keys, newest first. Old keys keep
# decrypting until `manage.py rotate_field_keys` has re-encrypted every row with the newest one.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=["dG9uZ3hpbi1kZXZlbG9wbWVudC1rZXktMzItYnl0ZXM="] if DEBUG else [],
)
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="development-blind-index-key" if DEBUG else "")
if not DEBUG and (not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY):
    raise environ.ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required outside DEBUG")

# Celery: Redis in production; kombu's filesystem transport is the embedded default.
CELERY_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (CELERY_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "out"),
        "data_folder_out": str(CELERY_DIR / "out"),
        "data_folder_processed": str(CELERY_DIR / "processed"),
        "control_folder": str(CELERY_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# Autodiscovery finds only `tasks` modules; the worker health check lives beside them.
CELERY_IMPORTS = ["congress.tasks_health"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next one
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat runs these (DESIGN §7). Sweeps are idempotent, so a second beat or a re-run
# sends nothing twice; they are spread over the early morning so that digests pick them up.
CELERY_BEAT_SCHEDULE = {
    "send-notification-digests": {
        "task": "congress.tasks.send_daily_digests",
        "schedule": 3600.0,  # hourly; each person still gets at most one digest a day per channel
    },
    "seal-audit-chain": {
        "task": "congress.tasks.seal_audit_chain",
        "schedule": 300.0,
    },
    "purge-expired-audit-rows": {
        "task": "congress.tasks.purge_expired_audit_rows",
        "schedule": crontab(hour="3", minute="40"),
    },
    "purge-idempotency-keys": {
        "task": "congress.tasks.purge_idempotency_keys",
        "schedule": crontab(hour="3", minute="30"),
    },
    "deputies-remind-contact-pairs": {
        "task": "deputies.tasks.remind_contact_pairs_below_minimum",
        "schedule": crontab(day_of_month="1", hour="7", minute="0"),
    },
    "deputies-remind-rectification-plans": {
        "task": "deputies.tasks.remind_rectification_plans",
        "schedule": crontab(hour="6", minute="5"),
    },
    "supervision-remind-milestones": {
        "task": "supervision.tasks.remind_milestones",
        "schedule": crontab(hour="6", minute="50"),
    },
    "supervision-remind-implementation-reports": {
        "task": "supervision.tasks.remind_implementation_reports",
        "schedule": crontab(hour="6", minute="55"),
    },
    "supervision-remind-follow-up-checks": {
        "task": "supervision.tasks.remind_follow_up_checks",
        "schedule": crontab(hour="6", minute="56"),
    },
    "supervision-remind-ledger-items": {
        "task": "supervision.tasks.remind_ledger_items",
        "schedule": crontab(hour="6", minute="58"),
    },
    "supervision-remind-inquiry-reports": {
        "task": "supervision.tasks.remind_inquiry_reports",
        "schedule": crontab(hour="6", minute="59"),
    },
    "contact-stations-anonymise": {
        "task": "contact_stations.tasks.anonymise_citizen_data",
        "schedule": crontab(hour="2", minute="30"),
    },
    "contact-stations-publish-shifts": {
        "task": "contact_stations.tasks.publish_due_shifts",
        "schedule": crontab(hour="7", minute="30"),
    },
    "contact-stations-opinion-deadlines": {
        "task": "contact_stations.tasks.remind_opinion_deadlines",
        "schedule": crontab(hour="8", minute="0"),
    },
    "contact-stations-unclosed-shifts": {
        "task": "contact_stations.tasks.remind_unclosed_shifts",
        "schedule": crontab(hour="9", minute="0"),
    },
    # Weekly, after Monday's daily overdue sweep (DESIGN §4: the weekly summary to leaders).
    "suggestions-summarise-overdue-for-leaders": {
        "task": "suggestions.tasks.summarise_overdue_for_leaders",
        "schedule": crontab(day_of_week="mon", hour="7", minute="15"),
    },
    **{
        f"suggestions-{name.replace('_', '-')}": {
            "task": f"suggestions.tasks.{name}",
            "schedule": crontab(hour="6", minute=str(minute)),
        }
        for minute, name in enumerate(
            (
                "close_after_evaluation_window",
                "remind_intake_due",
                "remind_objection_closing",
                "remind_co_opinion_due",
                "remind_reply_due",
                "remind_overdue",
                "remind_rating_pending",
                "remind_rehandling_due",
                "remind_commitment_due",
            ),
            start=10,
        )
    },
}

# Notifications
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tongxin@localhost")
SMS_BACKEND = env.str("SMS_BACKEND", default="congress.notifications.sms.LoggingSmsBackend")

# Django REST framework and the OpenAPI schema
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congress.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "congress.api_support.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "congress.api_schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "congress.api_support.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute", "public_form": "20/hour", "sms_code": "5/hour"},
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongxin 同心 API",
    "DESCRIPTION": "乡镇街道人大办公室与自动化系统使用的接口。Token 认证：`Authorization: Token <key>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind`; name the shared enums instead of letting a hash suffix do it.
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "deputies.models.ActivityKind",
        "StationKindEnum": "contact_stations.models.Station.Kind",
        "StationStatusEnum": "contact_stations.models.Station.Status",
        "ShiftKindEnum": "contact_stations.models.ShiftKind",
        "ShiftStateEnum": "contact_stations.models.DutyShift.State",
        "OpinionStateEnum": "contact_stations.models.Opinion.State",
        "DeclineChannelEnum": "contact_stations.models.Opinion.DeclineChannel",
        "ProposalKindEnum": "suggestions.models.Proposal.Kind",
        "ProposalStateEnum": "suggestions.models.Proposal.State",
        "AssignmentStateEnum": "suggestions.models.Assignment.State",
    },
}

# Security headers (SECURITY S11); production values apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Audit: auditlog on every domain model; rows kept at least 184 days (SECURITY S21).
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDIT_RETENTION_DAYS = max(184, env.int("AUDIT_RETENTION_DAYS", default=184))
# Audit rows are hash-chained once this old (congress.audit_chain explains why there is a lag).
AUDIT_SEAL_LAG_SECONDS = env.int("AUDIT_SEAL_LAG_SECONDS", default=120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "tongxin.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "tongxin.sms": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    },
}

# Demo: the seed refuses to run without DEBUG unless forced.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

# The platform's public address, for links in emails and SMS (relative links when empty).
SITE_URL = env.str("SITE_URL", default="")

# Roster imports and exports above this many rows run in Celery with a progress bar.
DEPUTIES_INLINE_JOB_ROWS = env.int("DEPUTIES_INLINE_JOB_ROWS", default=300)
