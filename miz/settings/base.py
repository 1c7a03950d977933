"""Settings shared by every environment; everything variable comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from miz.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("MIZ_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "miz.apps.MizAdminConfig",  # django.contrib.admin, behind the desk's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "persian",
    "directory",
    "cases",
    "routing",
    "desk",
    "schedule",
    "notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "miz.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as its documentation asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "miz.urls"
WSGI_APPLICATION = "miz.wsgi.application"

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
                "miz.context_processors.site",
            ],
            "builtins": ["persian.templatetags.persian"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'miz.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a case is being written; a busy timeout
    # makes concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "miz"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses them once a person or address has failed too often.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "desk/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cases.throttle.client_ip"
AXES_VERBOSE = False  # its log lines carry user names and addresses
# Staff second factor (TOTP): required of everyone where on; anyone who set one up gives it at every sign-in.
MIZ_STAFF_REQUIRE_TOTP = env_bool("MIZ_STAFF_REQUIRE_TOTP", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "میز خدمت")
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:inbox"
LOGOUT_REDIRECT_URL = "desk:login"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "fa")
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Attachments are private: no URL, served only through a view that checks access.
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "attachments"), "base_url": None},
    },
    # Directory photos and the map image are public, served by directory's own view (resized, no metadata).
    "photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "photos"), "base_url": None},
    },
}

# Security defaults that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Background work goes through Django's Tasks API (the django-tasks backport until Django 6). The database
# backend needs nothing beyond the database; `manage.py db_worker` runs the tasks.
TASKS = {"default": {"BACKEND": env_str("MIZ_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # Several machines: the queue lives in Redis (REDIS_URL) and `manage.py rqworker --job-class
    # django_tasks_rq.Job` runs the tasks.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    # A Redis that does not answer must not hold a request that queues a delivery: two seconds at most, then
    # the enqueue gives up (the outbox row stays, and the sweeper delivers it).
    _rq_url = REDIS_URL or "redis://127.0.0.1:6379/0"
    _rq_url += ("&" if "?" in _rq_url else "?") + "socket_connect_timeout=2&socket_timeout=2"
    RQ_QUEUES = {"default": {"URL": _rq_url}}

# --- E-mail and SMS ------------------------------------------------------------------------------------------
# Django's own names. Without EMAIL_HOST, e-mail is printed to the console instead of being sent.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "میز خدمت <no-reply@miz.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
# notify.sms.console.ConsoleBackend (development), notify.sms.file.FileBackend (tests, staging),
# notify.sms.kavenegar.KavenegarBackend or notify.sms.smsir.SmsIrBackend (production).
SMS_BACKEND = env_str("SMS_BACKEND", "notify.sms.console.ConsoleBackend")
SMS_API_KEY = env_str("SMS_API_KEY")
SMS_SENDER = env_str("SMS_SENDER")  # the gateway line number messages come from
SMS_BASE_URL = env_str("SMS_BASE_URL")  # only to point an adapter somewhere else than the gateway's own address
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))

# --- Miz ---------------------------------------------------------------
MIZ_ORGANIZATION_NAME = env_str("MIZ_ORGANIZATION_NAME", "سازمان مدیریت و برنامه‌ریزی استان آذربایجان غربی")
# Which submitter fields a non-anonymous case must have; any of name, mobile, email, national_id, submitter_type.
MIZ_REQUIRED_SUBMITTER_FIELDS = env_list("MIZ_REQUIRED_SUBMITTER_FIELDS", ["mobile"])
# Answer deadlines per kind, in working days.
MIZ_DEADLINE_WORKING_DAYS = {
    "request": env_int("MIZ_DEADLINE_REQUEST", 10),
    "complaint": env_int("MIZ_DEADLINE_COMPLAINT", 10),
    "suggestion": env_int("MIZ_DEADLINE_SUGGESTION", 15),
    "criticism": env_int("MIZ_DEADLINE_CRITICISM", 15),
    "opinion": env_int("MIZ_DEADLINE_OPINION", 15),
    "appreciation": env_int("MIZ_DEADLINE_APPRECIATION", 5),
}
# Python weekday numbers (Monday=0): Friday is the Iranian weekend; add 3 for Thursday where offices close.
MIZ_WEEKEND_DAYS = [int(day) for day in env_list("MIZ_WEEKEND_DAYS", ["4"])]
# After an answer: days (calendar) the citizen has to accept or object; working days an objection gets;
# days an answered case may sit untouched before it closes by itself.
MIZ_OBJECTION_DAYS = env_int("MIZ_OBJECTION_DAYS", 10)
MIZ_OBJECTION_WORKING_DAYS = env_int("MIZ_OBJECTION_WORKING_DAYS", 5)
MIZ_AUTO_CLOSE_DAYS = env_int("MIZ_AUTO_CLOSE_DAYS", 14)
# An overdue case goes to the head of its unit at once, and to the head of the unit above after this many
# more working days.
MIZ_ESCALATE_TO_PARENT_AFTER_WORKING_DAYS = env_int("MIZ_ESCALATE_TO_PARENT_AFTER_WORKING_DAYS", 3)
MIZ_MAX_ATTACHMENTS = 3
MIZ_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MIZ_BODY_MAX_LENGTH = 5000
# Lookups by tracking code: attempts allowed per window, per client address and per code.
MIZ_LOOKUP_LIMIT_PER_IP = env_int("MIZ_LOOKUP_LIMIT_PER_IP", 30)
MIZ_LOOKUP_LIMIT_PER_CODE = env_int("MIZ_LOOKUP_LIMIT_PER_CODE", 5)
MIZ_LOOKUP_WINDOW_SECONDS = env_int("MIZ_LOOKUP_WINDOW_SECONDS", 15 * 60)
# Behind a reverse proxy, the header that carries the client address (e.g. HTTP_X_REAL_IP).
MIZ_CLIENT_IP_HEADER = env_str("MIZ_CLIENT_IP_HEADER", "REMOTE_ADDR")
# The address of the site as citizens reach it, for the links in SMS and e-mail.
MIZ_SITE_URL = env_str("MIZ_SITE_URL", "http://127.0.0.1:8000")
# Who the SMS comes from, on its last line; and how many parts (70 Persian characters each, 67 when split) one
# SMS may take before its text is cut.
MIZ_SMS_SIGNATURE = env_str("MIZ_SMS_SIGNATURE", "میز خدمت سازمان مدیریت و برنامه‌ریزی آ.غ")
MIZ_SMS_MAX_SEGMENTS = env_int("MIZ_SMS_MAX_SEGMENTS", 3)
# Delivery: attempts per message before it fails for good, and the back-off between them (doubling, capped).
MIZ_NOTIFY_MAX_ATTEMPTS = env_int("MIZ_NOTIFY_MAX_ATTEMPTS", 10)
MIZ_NOTIFY_RETRY_BASE_SECONDS = env_int("MIZ_NOTIFY_RETRY_BASE_SECONDS", 30)
MIZ_NOTIFY_RETRY_CAP_SECONDS = env_int("MIZ_NOTIFY_RETRY_CAP_SECONDS", 60 * 60)
# Days before an answered case closes by itself that its citizen is reminded; the local hour of the heads' digest.
MIZ_CLOSE_REMINDER_DAYS = env_int("MIZ_CLOSE_REMINDER_DAYS", 3)
MIZ_DIGEST_HOUR = env_int("MIZ_DIGEST_HOUR", 8)
# Periodic tasks and their intervals in seconds; `manage.py run_scheduler` puts them on the queue when due.
MIZ_PERIODIC_TASKS = {
    "routing.tasks.retrain_routing_model": env_int("MIZ_ROUTING_RETRAIN_SECONDS", 24 * 60 * 60),
    "desk.tasks.escalate_overdue_cases": env_int("MIZ_ESCALATION_SECONDS", 60 * 60),
    "desk.tasks.close_untouched_answers": env_int("MIZ_AUTO_CLOSE_SECONDS", 6 * 60 * 60),
    # The safety net under the per-message delivery tasks: what is due, and what a dead worker left.
    "notify.tasks.deliver_due_messages": env_int("MIZ_DELIVERY_SWEEP_SECONDS", 60),
    "notify.tasks.remind_before_closing": env_int("MIZ_CLOSE_REMINDER_SECONDS", 60 * 60),
    # Hourly; each head gets one digest a day, after MIZ_DIGEST_HOUR.
    "notify.tasks.send_daily_digests": env_int("MIZ_DIGEST_SECONDS", 60 * 60),
    # Housekeeping: personal data kept no longer than it serves.
    "notify.tasks.prune_outbox": env_int("MIZ_PRUNE_OUTBOX_SECONDS", 24 * 60 * 60),
    "cases.tasks.forget_old_one_time_codes": env_int("MIZ_FORGET_CODES_SECONDS", 60 * 60),
    "cases.tasks.clear_expired_sessions": env_int("MIZ_CLEAR_SESSIONS_SECONDS", 24 * 60 * 60),
}
# Sent and skipped messages (with their recipients) are deleted after this many days; failed ones are kept
# until an administrator retries or deletes them.
MIZ_NOTIFY_KEEP_DAYS = env_int("MIZ_NOTIFY_KEEP_DAYS", 365)

# --- My cases by mobile: one-time codes by SMS ---------------------------------------------------------------
# A code lives MIZ_OTP_SECONDS and dies after MIZ_OTP_MAX_TRIES wrong tries. In each MIZ_OTP_WINDOW_SECONDS at most
# MIZ_OTP_LIMIT_PER_MOBILE codes go to one number and MIZ_OTP_LIMIT_PER_IP are asked from one client address. A
# verified number stays open in the browser's session for MIZ_OTP_SESSION_SECONDS.
MIZ_OTP_SECONDS = env_int("MIZ_OTP_SECONDS", 5 * 60)
MIZ_OTP_MAX_TRIES = env_int("MIZ_OTP_MAX_TRIES", 5)
MIZ_OTP_LIMIT_PER_MOBILE = env_int("MIZ_OTP_LIMIT_PER_MOBILE", 3)
MIZ_OTP_LIMIT_PER_IP = env_int("MIZ_OTP_LIMIT_PER_IP", 10)
MIZ_OTP_WINDOW_SECONDS = env_int("MIZ_OTP_WINDOW_SECONDS", 15 * 60)
MIZ_OTP_SESSION_SECONDS = env_int("MIZ_OTP_SESSION_SECONDS", 30 * 60)
