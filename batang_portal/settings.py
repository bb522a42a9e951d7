"""Settings for the Batang Smart Training Center portal.

One module, driven by the environment. DJANGO_DEBUG is off unless the environment
turns it on, and with it off the secrets and hosts must come from the environment: a
missing one stops the start-up with a clear error instead of running with a development
value. `make run` and the tests (pytest.ini) turn it on; the embedded defaults then serve a
fresh machine (SQLite, Celery tasks in-process, mail written to var/outbox/).
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _required_in_production(name: str, dev_default):
    """Read a setting that has a development default but must be set when DEBUG is off."""
    value = env(name, default=None)
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set in the environment when DJANGO_DEBUG is off "
        "(see README, section Deploying)."
    )


SECRET_KEY = _required_in_production(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production-batang"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in _required_in_production(
        "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
SITE_URL = _required_in_production("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Our apps; dependencies point one way:
    # reports -> placements | welfare -> courses -> trainees -> accounts -> core;
    # notifications is called by all.
    "core",
    "accounts",
    "notifications",
    "trainees",
    "courses",
    "placements",
    "welfare",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages straight from the cache, before sessions and templates.
    "core.cache.PublicPageCacheMiddleware",
    # Compress HTML for phones on slow connections (static files come pre-compressed
    # from WhiteNoise above). Django 4.2+ pads compressed responses against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person without a language cookie gets theirs.
    "core.middleware.PreferredLanguageMiddleware",
    # Every view is private unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below); Permissions-Policy and a body-size cap.
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityGuardMiddleware",
    # Login throttling; must stay last (it turns a lockout into the 429 page).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "batang_portal.urls"
WSGI_APPLICATION = "batang_portal.wsgi.application"

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
                "core.context_processors.site",
                "placements.context_processors.public_pledges",
                "welfare.context_processors.cover_notice",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
# Keep connections open between requests (PgBouncer in transaction mode: set to 0).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ---------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Redis is a cache and a broker, not a store: a call that takes longer than this is
# treated as Redis being down (README "Operations").
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.3)


def _redis_url_for_test_worker(url: str, worker: str) -> str:
    """Give pytest-xdist worker gwN the Nth Redis database after the one `url` names.

    Each worker then has its own cache and its own broker queues: a cache flush, a rate
    limit or a task queued by one never reaches another (nor its Celery worker, which
    inherits PYTEST_XDIST_WORKER and so computes the same database).
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if database > 15:
        raise ImproperlyConfigured(
            f"test worker {worker} would use Redis database {database}, past the 16 a "
            "default Redis server has: run fewer workers or start REDIS_URL lower."
        )
    return parts._replace(path=f"/{database}").geturl()


if REDIS_URL and env("PYTEST_XDIST_WORKER", default=""):
    REDIS_URL = _redis_url_for_test_worker(REDIS_URL, env("PYTEST_XDIST_WORKER"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, one Redis client per pool and a local fallback while Redis
            # is down or hung (core/redis_cache.py).
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "batang",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "breaker_open_seconds": env.float("REDIS_BREAKER_SECONDS", default=5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker the tasks run in-process, so `make run` needs nothing else running.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "Asia/Jakarta"
# A task unacknowledged this long is redelivered; longer than any task's hard limit.
# Socket timeouts: a hung Redis (process stopped, socket open) must fail a publish, not
# hold a request; longer than the worker's 1 s blocking poll.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3),
}
# Publishing happens after the business commit: with the broker down, give up at once
# (the row stays in the outbox, the sweeper sends it later, and notifications'
# BROKER_BREAKER skips publishing for a few seconds so later requests do not wait).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A periodic job whose publish fails (broker down) is retried until it goes out, instead
# of waiting for its next day (core/beat.py).
CELERY_BEAT_SCHEDULER = "core.beat:CatchUpScheduler"


def _periodic(task: str, schedule: float | crontab) -> dict:
    """A beat entry: the task's dotted name and when it runs (seconds, or a crontab in WIB)."""
    return {"task": task, "schedule": schedule}


# Periodic jobs, declared here (no database scheduler); times are Asia/Jakarta (WIB).
CELERY_BEAT_SCHEDULE: dict = {
    # Every minute: hand notifications left queued (broker was down) back to the broker.
    "notifications-requeue-stale": _periodic(
        "notifications.tasks.notification_requeue_stale_task", 60.0
    ),
    # Every 5 minutes: expire seat offers past their 48 h (the seat passes to the next on
    # the reserve list), withdraw acceptances that missed daftar ulang, move confirmed
    # trainees into training on the first day. Idempotent, so a doubled tick is harmless;
    # 5 minutes bounds how long an expired offer keeps a seat from the next person.
    "courses-selection-sweep": _periodic("courses.tasks.selection_sweep_task", 300.0),
    # Daily 07:00 WIB (morning, before people leave for work): re-registration reminder
    # the day before the deadline, training start reminder 3 days before the start.
    "courses-reminders": _periodic("courses.tasks.reminders_queue_task", crontab(hour=7, minute=0)),
    # Daily 06:30 WIB: credential renewal reminders 90/60/30/7 days before expiry and once
    # after (to the holder and an employer-bound licence's K3 contact); one per credential
    # and threshold, so a doubled or caught-up run sends nothing twice.
    "courses-credential-reminders": _periodic(
        "courses.tasks.credential_reminders_send_task", crontab(hour=6, minute=30)
    ),
    # Each job calls a service of its app, which queues mail through
    # notifications.services.notification_queue:
    # - placements: new-applicants digest for employers (daily) and the weekly matching
    #   vacancies digest for graduates (bulk queue, notification_bulk_send).
}

# --- Employers and vacancies (placements) -------------------------------------------
# The UMK (with its year), the weekly cap on job applications and the no-response days
# are policy, not settings: staff edit them in the admin (placements.PlacementPolicy).
CELERY_BEAT_SCHEDULE.update(
    {
        # Daily 00:05 WIB: close vacancies whose deadline passed (idempotent).
        "placements-close-expired-vacancies": _periodic(
            "placements.tasks.vacancy_close_expired_task", crontab(hour=0, minute=5)
        ),
        # Daily 07:00 WIB: new-applicants digest for employers (bulk queue).
        "placements-employer-applicants-digest": _periodic(
            "placements.tasks.employer_applicants_digest_send_task", crontab(hour=7, minute=0)
        ),
        # Daily 09:00 WIB: no-ghosting message to applicants left unanswered N days.
        "placements-remind-stale-job-applications": _periodic(
            "placements.tasks.job_application_remind_stale_task", crontab(hour=9, minute=0)
        ),
        # Mondays 07:00 WIB: matching vacancies for graduates who opted in (bulk queue).
        "placements-graduate-vacancy-digest": _periodic(
            "placements.tasks.graduate_vacancy_digest_send_task",
            crontab(hour=7, minute=0, day_of_week="mon"),
        ),
        # Daily 00:20 WIB: settle accepted pledges whose start window ended yesterday
        # (count the hires; idempotent), and tell staff of an employer's second broken one.
        "placements-settle-pledges": _periodic(
            "placements.tasks.pledge_settle_due_task", crontab(hour=0, minute=20)
        ),
        # Daily 08:30 WIB: remind employers of a pledged intake ending within a week and of
        # a pledge lapsing within two weeks (once per pledge and kind).
        "placements-remind-pledges": _periodic(
            "placements.tasks.pledge_remind_due_task", crontab(hour=8, minute=30)
        ),
    }
)

# --- Reports and placement tracer (reports) -----------------------------------------
# How long the public figures of /stats/ are kept before they are counted again.
STATS_CACHE_SECONDS = env.int("STATS_CACHE_SECONDS", default=600)
# How long the answer links in a tracer e-mail work (a round lasts three months).
TRACER_LINK_DAYS = env.int("TRACER_LINK_DAYS", default=120)
CELERY_BEAT_SCHEDULE.update(
    {
        # Daily 08:00 WIB: the placement tracer asks graduates whether they work, 3 and 6
        # months after their cohort ended (once per graduate and round: idempotent), in
        # the morning so the mail is read the same day.
        "reports-tracer-send-due": _periodic(
            "reports.tasks.tracer_send_due_task", crontab(hour=8, minute=0)
        ),
    }
)

# --- Social security and allowances (welfare) ---------------------------------------
CELERY_BEAT_SCHEDULE.update(
    {
        # Daily 07:30 WIB: three days before a cohort starts, tell training staff who has
        # no active BPJS cover yet (once per cohort and staff member: idempotent), early
        # enough to send a batch to the branch the same day.
        "welfare-cover-alarm": _periodic(
            "welfare.tasks.cover_alarm_send_task", crontab(hour=7, minute=30)
        ),
    }
)

# Every periodic job runs on its own queue ("periodic"), so a slow mail server or a
# digest batch on the sending workers never makes the every-minute sweeper or a daily job
# late (README "Deploying": the workers and their queues).
CELERY_TASK_ROUTES = {
    entry["task"]: {"queue": "periodic"} for entry in CELERY_BEAT_SCHEDULE.values()
}

# --- Mail ---------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821
        # The same backend, but it tells the outbox when a failed send may have arrived
        # (so that mail is never sent twice); see notifications/smtp.py.
        EMAIL_BACKEND = "notifications.smtp.EmailBackend"
else:
    # Newcomers read the mail the portal sends as files in var/outbox/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "outbox"
# Seconds an SMTP command may take (connect, each reply).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Smart Training Center Batang <noreply@stc-batang.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Outbox sending: a transient error (the mail server refusing or away) is retried with
# exponential back-off (base * 2^n seconds with jitter, capped) until the server returns;
# a row still failing this many hours after it was queued is given up (failed).
NOTIFICATIONS_GIVE_UP_HOURS = env.float("NOTIFICATIONS_GIVE_UP_HOURS", default=72)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600.0)
# The sweeper re-enqueues queued rows this long past due (bulk digests wait longer).
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", default=60)
NOTIFICATIONS_BULK_REQUEUE_AFTER_SECONDS = env.int(
    "NOTIFICATIONS_BULK_REQUEUE_AFTER_SECONDS", default=600
)
# A row claimed for sending this long ago belongs to a worker that died mid-send: the
# sweeper marks it failed ("delivery unknown"), never sends it again by itself. Longer
# than CELERY_TASK_TIME_LIMIT, after which no worker can still be sending it.
NOTIFICATIONS_SENDING_STALE_SECONDS = env.int("NOTIFICATIONS_SENDING_STALE_SECONDS", default=600)

# --- WhatsApp and SMS (README "Channels") --------------------------------------------


def _provider_url(url: str, scheme: str, names: tuple[str, ...]) -> dict[str, str]:
    """Read `scheme://user:password@host/path?options` like EMAIL_URL (README).

    `scheme` is the provider's (HTTPS); `<scheme>+http` is a fake provider on loopback.
    `names`: what the provider's backend calls the URL's user and password, then the
    query options it reads. Every name and `base_url` are in the result, "" when not given.
    """
    user, password, *options = names
    provider = {"base_url": "", **dict.fromkeys(names, "")}
    if not url:
        return provider
    parts = urlsplit(url)
    schemes = {scheme: "https", f"{scheme}+http": "http"}
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(f"{url.split(':')[0]}: expected one of {sorted(schemes)}")
    port = f":{parts.port}" if parts.port else ""
    query = dict(parse_qsl(parts.query))
    provider.update(
        {
            "base_url": f"{schemes[parts.scheme]}://{parts.hostname}{port}{parts.path}".rstrip("/"),
            user: unquote(parts.username or ""),
            password: unquote(parts.password or ""),
            **{key: query[key] for key in options if key in query},
        }
    )
    return provider


# whatsapp://<phone_number_id>:<access token>@graph.facebook.com/v21.0?app_secret=…&verify_token=…
# (whatsapp+http:// for a fake provider on loopback, as the tests start).
WHATSAPP_URL = env("WHATSAPP_URL", default="")
WHATSAPP = _provider_url(
    WHATSAPP_URL, "whatsapp", ("phone_number_id", "token", "app_secret", "verify_token")
)
# Without WHATSAPP_URL / SMS_URL each message is a readable file beside the mail.
OUTBOX_FILE_PATH = BASE_DIR / "var" / "outbox"
WHATSAPP_BACKEND = (
    "notifications.whatsapp.CloudAPIBackend"
    if WHATSAPP_URL
    else "notifications.providers.FileBackend"
)
WHATSAPP_TIMEOUT = env.float("WHATSAPP_TIMEOUT", default=10.0)
# A time-critical message WhatsApp has not delivered this long after sending goes by SMS.
WHATSAPP_FALLBACK_MINUTES = env.int("WHATSAPP_FALLBACK_MINUTES", default=15)
# zenziva://<userkey>:<passkey>@console.zenziva.net?sender=STC%20BATANG&report_token=…
# (sender: masking; report_token: the secret in the delivery-report URL given to the
# gateway, README "Channels"; zenziva+http:// for a fake gateway on loopback).
SMS_URL = env("SMS_URL", default="")
SMS = _provider_url(SMS_URL, "zenziva", ("userkey", "passkey", "sender", "report_token"))
SMS_BACKEND = (
    "notifications.sms.ZenzivaBackend" if SMS_URL else "notifications.providers.FileBackend"
)
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
# A channel without its provider sends nothing out of the building: with debug off it is
# not chosen at all (people who opted in get e-mail), with debug on (make run) its
# messages are files in var/outbox/.
WHATSAPP_ENABLED = env.bool("WHATSAPP_ENABLED", default=bool(WHATSAPP_URL) or DEBUG)
SMS_ENABLED = env.bool("SMS_ENABLED", default=bool(SMS_URL) or DEBUG)
# Staff see an alarm in the admin when the gateway's balance (rupiah) falls below this.
SMS_BALANCE_ALARM = env.int("SMS_BALANCE_ALARM", default=50_000)

# --- Auth ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out e-mail + IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Dates and numbers follow the active language (batang_portal/formats/: "17 Agustus 2025",
# day-first in English too). Grouping is explicit (`|intcomma`, `|rupiah` from core's
# `money` tags), not global: USE_THOUSAND_SEPARATOR would also turn ids and years printed
# into URLs and forms into "1.234" / "2.025".
FORMAT_MODULE_PATH = ["batang_portal.formats"]
USE_THOUSAND_SEPARATOR = False

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded personal documents: never under a public URL; served by authorised views.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
# Scaling out: with STORAGE_BUCKET set, uploads go to S3-compatible object storage
# (AWS S3, MinIO, ...) through django-storages, private and reached only through
# short-lived signed URLs handed out by the authorised views. Local disk otherwise.
STORAGE_BUCKET = env("STORAGE_BUCKET", default="")
if STORAGE_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env("STORAGE_ENDPOINT_URL", default=None),
            "region_name": env("STORAGE_REGION", default=None),
            "access_key": env("STORAGE_ACCESS_KEY", default=None),
            "secret_key": env("STORAGE_SECRET_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "location": env("STORAGE_PREFIX", default="private"),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Training center policy defaults ----------------------------------------------
# Default share of a new cohort's seats reserved for residents of Kabupaten Batang
# (Perbup Batang 42/2021 gives locals priority); staff change it per cohort in the admin.
STC_LOCAL_SHARE_DEFAULT = env.float("STC_LOCAL_SHARE_DEFAULT", default=0.7)
# Default hours a new cohort gives the first on its reserve list to accept a freed seat.
STC_OFFER_VALID_HOURS = env.int("STC_OFFER_VALID_HOURS", default=48)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Sessions -----------------------------------------------------------------------
# Stateless web processes: sessions live in PostgreSQL, read through the Redis cache
# when there is one (one cache hit instead of a query per signed-in request).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- Security -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
# Proxies in front of the portal that append to X-Forwarded-For (the TLS proxy: 1). The
# client address used by rate limits and login throttling is read behind that many hops.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)

# Content-Security-Policy (django-csp): no inline scripts or styles anywhere, every asset
# from our own origin (Bootstrap is vendored). `data:` images are Bootstrap's inline SVG
# icons (select arrows, navbar toggler) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes), database handler: lockouts survive restarts and a
# cache flush, are shared by every worker, and staff see and clear them in the admin
# ("Access attempts"). Locked per e-mail *and* IP: many people in Batang share one
# carrier-grade-NAT address, so an IP-only lock would shut out a whole village, and an
# e-mail-only lock would let anyone lock a person out. Address-wide floods are cut by the
# rate limit on the login view (core.ratelimit).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: a locked pair may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our login forms (site and admin) post the e-mail address as "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_network"  # IPv6 counted per /64
AXES_LOCKOUT_CALLABLE = "accounts.security.axes_lockout_response"
# Successful logins are not logged (personal data we do not need); failures are.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Rate limits (core.ratelimit) count in the default cache: Redis in production,
# local memory for `make run`.
RATELIMIT_ENABLED = env.bool("DJANGO_RATELIMIT_ENABLED", default=True)
RATELIMIT_CACHE = "default"
RATELIMIT_KEY_PREFIX = "rl"
# Keys of the whole-page cache (core.cache): stored pages and their data versions.
PUBLIC_PAGE_CACHE_PREFIX = "public-page"
# Each process answers a stored page from its own memory for this many seconds after it
# last read the data versions (a change made in another process shows within them);
# 0 reads the cache on every request. At most this many pages are kept per process.
PUBLIC_PAGE_LOCAL_SECONDS = env.float("DJANGO_PUBLIC_PAGE_LOCAL_SECONDS", default=1.0)
PUBLIC_PAGE_LOCAL_ENTRIES = env.int("DJANGO_PUBLIC_PAGE_LOCAL_ENTRIES", default=256)
# Seconds a signed-in person's page body stays in the cache (core.fragments) without a
# change of their data; 0 renders it on every request.
PERSON_FRAGMENT_TIMEOUT = env.int("DJANGO_PERSON_FRAGMENT_TIMEOUT", default=60)
# Seconds the signed-in person's account row stays in the cache (accounts.user_cache)
# without a change to it; 0 reads it from the database on every request.
SESSION_USER_CACHE_TIMEOUT = env.int("DJANGO_SESSION_USER_CACHE_TIMEOUT", default=300)
# Request bodies above this are refused with 413 before any view reads them (documents
# are capped at 2 MB each; a form carries at most a couple).
MAX_REQUEST_BYTES = env.int("DJANGO_MAX_REQUEST_BYTES", default=6 * 1024 * 1024)

# --- Logging ------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # httpx logs every request at INFO: one line per WhatsApp message or SMS sent (the
        # outbox records each already; a failure is logged by the outbox with its reason).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
