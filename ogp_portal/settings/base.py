"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")
# Earlier keys, still accepted: sessions, signed links, and ballot envelopes sealed before a change.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ogp_portal.apps.PortalAdminConfig",  # django.contrib.admin, checking what staff send
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "ogp_portal.apps.PortalStaticFilesConfig",  # django.contrib.staticfiles
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "crispy_forms",
    "csp",
    "auditlog",
    "ogp_portal",
    "audit",
    "outbox",
    "privacy",
    "verification",
    "councils",
    "proposals",
    "plans",
    "consultations",
    "opinions",
    "public_site",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before anything else (ogp_portal/health.py).
    "ogp_portal.health.HealthMiddleware",
    "ogp_portal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ogp_portal.middleware.NulCharacterMiddleware",
    "ogp_portal.middleware.AnonymousPageCacheMiddleware",
    "ogp_portal.middleware.KoreanRunsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ogp_portal.middleware.StaffMfaMiddleware",
    "privacy.middleware.PrivacyConsentMiddleware",
    "audit.middleware.AuditMiddleware",
    "audit.access.AccessRecordMiddleware",
    "ogp_portal.middleware.DatabaseUnavailableMiddleware",
]
CSRF_FAILURE_VIEW = "ogp_portal.errors.csrf_failure"

# Security headers. Every page works with this policy: no inline script or style, nothing from
# another host (KRDS is served from its npm package). allauth's TOTP set-up page shows its QR
# code as a data: image, hence `img-src data:`. form-action also names the Kakao and Naver
# authorisation servers: social sign-in posts to the portal, which redirects there, and Chromium
# checks form-action on that redirect. tests/ogp_portal/test_security_headers.py pins the header
# and tests/ogp_portal/test_csp_browser.py crawls the site in Chromium for violations.
CSP_SOCIAL_FORM_ACTIONS = ["https://kauth.kakao.com", "https://nid.naver.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *CSP_SOCIAL_FORM_ACTIONS],
    },
}
# Powerful browser features the portal never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "ogp_portal.urls"
WSGI_APPLICATION = "ogp_portal.wsgi.application"

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
            ],
        },
    },
]
# Widgets render with the site's templates, so that the project can correct one (the admin's
# split date and time inputs get a label each: templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite by default, PostgreSQL (psycopg 3, with its pool) from DATABASE_URL.
# A request waits at most DATABASE_POOL_TIMEOUT seconds for a connection, then gets the 503 page
# ("please try again in a moment") instead of hanging: see ogp_portal/errors.py.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# What kind of process this is: "web" (set by ogp_portal.wsgi: threaded gunicorn workers, see
# deploy/gunicorn.conf.py) or anything else (Celery workers, beat, management commands).
PROCESS_KIND = env("PROCESS_KIND", default="worker")
# The site's threads per process: each holds a connection while its request runs, so the pool
# of a web process has one per thread (and opens them at start); other processes run one thing
# at a time and keep a small pool.
WEB_THREADS = env.int("WEB_THREADS", default=8)
POOL_DEFAULT = WEB_THREADS if PROCESS_KIND == "web" else 2
# Statement and lock timeouts (PostgreSQL settings sent when a connection opens, no query): a
# request gives up after seconds with the 503 page (try again), not after the worker's 30 s;
# workers and commands may run long statements, but wait at most 30 s for a lock.
DATABASE_TIMEOUTS = {
    "statement_timeout": env("DATABASE_STATEMENT_TIMEOUT", default="")
    or ("10s" if PROCESS_KIND == "web" else "10min"),
    "lock_timeout": env("DATABASE_LOCK_TIMEOUT", default="")
    or ("3s" if PROCESS_KIND == "web" else "30s"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
        f"-c {name}={value}" for name, value in DATABASE_TIMEOUTS.items()
    )
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=POOL_DEFAULT),
            "max_size": env.int("DATABASE_POOL_MAX", default=max(POOL_DEFAULT, 10)),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=2.0),
        }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The owner of the tables, for migrations only (`manage.py migrate_as_owner`): production's web
# servers, workers and beat connect as the application's role of DATABASE_URL, which may read
# and write rows but not change a table (ogp_portal.roles). Set it for the migration job alone.
DATABASE_MIGRATE_URL = env("DATABASE_MIGRATE_URL", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "ogp_portal.User"

# Redis: Celery broker and the shared cache (rate limits, sessions-independent counters).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis down or frozen must not hold a request: a cache call waits at most these seconds
    # (a page of 200 kB comes in milliseconds), then the cache lives in each process's memory
    # for a few seconds (ogp_portal/cache.py).
    CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.2)
    CACHES = {
        "default": {
            "BACKEND": "ogp_portal.cache.RedisWithFallbackCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="ogp"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Passwords are stored as Argon2id at OWASP's minimum parameters (ogp_portal.passwords). It also
# checks Argon2 hashes of other parameters; hashes of the other hashers listed (Django's earlier
# defaults) are still checked too. Either is stored again as this Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "ogp_portal.passwords.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail login; an address is verified before its account signs in,
# and the permission rules check verification again before taking part (voting, proposing,
# joining a group). Sign-up, password reset and adding an address answer the same whether or not
# the address is registered: the page says "we sent you an e-mail", and the e-mail tells the
# owner what happened (allauth needs mandatory verification for this on sign-up).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "ogp_portal.adapters.AccountAdapter"
MFA_ADAPTER = "ogp_portal.adapters.MfaAdapter"
# A code refused past the limit of wrong ones is signalled too, and so recorded for staff.
MFA_FORMS = {
    "authenticate": "ogp_portal.adapters.MfaAuthenticateForm",
    "reauthenticate": "ogp_portal.adapters.MfaReauthenticateForm",
    "authenticate_webauthn": "ogp_portal.adapters.MfaAuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "ogp_portal.adapters.MfaReauthenticateWebAuthnForm",
    "add_webauthn": "ogp_portal.adapters.MfaAddWebAuthnForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# "Keep me signed in" (the sign-in form's checkbox, shown while ACCOUNT_SESSION_REMEMBER is None):
# ticked, the session lasts SESSION_REMEMBER_DAYS, long enough to vote again in the same voting
# period without signing in; not ticked (and after a sign-in by code or by Kakao/Naver, which
# have no such box), it ends when the browser closes.
ACCOUNT_SESSION_REMEMBER = None
SESSION_COOKIE_AGE = env.int("SESSION_REMEMBER_DAYS", default=14) * 24 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Rows found by a hash of the cookie, data sealed: a copy of the database opens no session.
SESSION_ENGINE = "ogp_portal.sessions"
# A one-time code by e-mail signs in without a password, on the same page as the password and
# Kakao/Naver (see "Passwords and sign-in" in the README).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# The client's address, for every rate limit (allauth's and the portal's, through
# ogp_portal.adapters.client_ip): REMOTE_ADDR, unless the site runs behind proxies of ours.
# Then either the header the nearest proxy sets to the client's address (TRUSTED_CLIENT_IP_HEADER,
# e.g. X-Real-IP), or how many proxies append to X-Forwarded-For (TRUSTED_PROXY_COUNT: the
# address that many places from the right is the client). Left at none/0 behind a proxy, every
# visitor is the proxy: one client's flood of failed sign-ins then locks everyone out.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "ogp_portal.adapters.client_ip"
# Rates as "amount/period/per": per client address (ip), per e-mail address typed (key), per
# account (user). Failed sign-ins: 5 per address typed in 5 minutes, whatever the client, so
# guessing one account's password is slow; 30 per client in 5 minutes, whatever the addresses,
# so spraying a password over many accounts is slow too. A client that floods made-up addresses
# spends its own budget only: real addresses keep theirs, other clients are not affected, and a
# correct password within its address's budget signs in (and is not counted). A shared office
# address is unlikely to see 30 mistyped passwords in 5 minutes. All sign-in posts: 30 a minute
# per client. Sign-up: 20 in 10 minutes per client (a workshop signing people up together);
# the confirmation e-mail goes to an address once in 3 minutes. Password reset: 5 a minute per
# address typed, 20 per client.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/key,30/5m/ip",
    "signup": "20/10m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Sign-up asks for consent (separately to the terms and to the collection and use of personal
# data) on the site's form and on Kakao/Naver's, which is therefore always shown.
ACCOUNT_FORMS = {"signup": "privacy.forms.SignupForm"}
SOCIALACCOUNT_FORMS = {"signup": "privacy.forms.SocialSignupForm"}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ADAPTER = "ogp_portal.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"kakao": {}, "naver": {}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "광주광역시 OGP"
# Staff must have a second factor before the admin opens.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
# Staff set up their second factor through a one-time link sent to their address
# (ogp_portal.enrolment): it works this many hours, and the session that opened it may set the
# factor up for this many minutes.
STAFF_INVITATION_HOURS = env.int("STAFF_INVITATION_HOURS", default=72)
STAFF_ENROLMENT_MINUTES = 30
# Everyone hears by e-mail when their password, address or a second factor changes (allauth).
ACCOUNT_EMAIL_NOTIFICATIONS = True

# The audit trail (django-auditlog, entries in `audit.AuditEntry`): every change of these
# records, from the admin, the site or a task, with actor, client address, time, operation and
# before/after. Left out on purpose: ballots, participations and the counters written with
# each vote (nothing may tie a person to a choice or a time of voting), supports (a citizen's
# own participation, counted), e-mails of the outbox, sessions, one-time form tokens, social
# sign-in tokens. Secrets are masked or left out. tests/audit/
# test_registry.py checks that every model of the admin is here or named there with its reason.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# django-auditlog's own entry model is replaced by ours: its migrations would only create an
# unused table (which would also keep PostgreSQL from emptying the content types in tests).
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
# Access records (audit.access): site pages that show staff personal data, and downloads of a
# person's data, recorded besides the admin pages of every model the privacy inventory lists.
ACCESS_RECORDED_VIEWS = ["verification:counter"]
ACCESS_RECORDED_DOWNLOADS = ["privacy:export"]
# Pages where someone is looked up by name, date of birth and district (a poll officer's, the
# counter's): every answer is an access record, with a keyed mark of the details typed.
ACCESS_RECORDED_LOOKUPS = ["consultations:booth", "verification:counter"]
# Audit and access records keep a deleted person as this keyed hash (audit.retention).
AUDIT_PSEUDONYM_KEY = env("AUDIT_PSEUDONYM_KEY", default=f"audit-pseudonym:{SECRET_KEY}")
AUDITLOG_MASK_CALLABLE = "audit.masks.hidden"
# Values a person gives that the trail records and that must not outlive the account: when it is
# deleted they become its pseudonym, in every version the trail kept, in the entries about the
# person's own records (audit.retention.audit_recorded_values).
AUDIT_PRIVATE_FIELDS = [
    "proposals.Proposal.contact",
    "verification.Verification.birth_date",
    "councils.CommitteeMember.contact_email",
    # The member number Kakao or Naver gives the person: it names them wherever they sign in.
    "socialaccount.SocialAccount.uid",
]
AUDITLOG_INCLUDE_TRACKING_MODELS = [
    {
        "model": "ogp_portal.User",
        "include_fields": [
            "username",
            "email",
            "first_name",
            "last_name",
            "display_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "language",
        ],
        "mask_fields": ["password"],
        "m2m_fields": ["groups", "user_permissions"],
    },
    {"model": "auth.Group", "m2m_fields": ["permissions"]},
    "account.EmailAddress",
    {"model": "outbox.MobileContact", "exclude_fields": ["changed_at"]},
    {"model": "mfa.Authenticator", "exclude_fields": ["data", "last_used_at"]},
    {"model": "socialaccount.SocialApp", "mask_fields": ["secret", "key"]},
    {"model": "socialaccount.SocialAccount", "exclude_fields": ["extra_data", "last_login"]},
    "councils.Council",
    "councils.Direction",
    "councils.TimelineEntry",
    "councils.CommitteeMember",
    "councils.WorkingGroup",
    "councils.GroupMembership",
    "councils.Meeting",
    "councils.AgendaItem",
    {"model": "councils.Minutes", "m2m_fields": ["attendees", "attending_members"]},
    "councils.MinutesRevision",
    "councils.MinutesComment",
    "councils.MinutesAttachment",
    "councils.Document",
    "councils.DocumentAttachment",
    "proposals.Area",
    "proposals.Call",
    "proposals.SupportThreshold",
    {"model": "proposals.Proposal", "exclude_fields": ["support_count"]},
    "proposals.ProposalCorrection",
    "proposals.Transition",
    "proposals.ProposalAttachment",
    "proposals.Review",
    {"model": "proposals.Debate", "exclude_fields": ["participant_count"]},
    {"model": "proposals.Comment", "exclude_fields": ["report_count"]},
    "proposals.CommentRevision",
    "plans.ActionPlan",
    {"model": "plans.Commitment", "m2m_fields": ["working_groups", "meetings"]},
    "plans.Milestone",
    {"model": "consultations.Booth", "m2m_fields": ["officers"]},
    {"model": "verification.Verification", "mask_fields": ["identity_key"]},
    "plans.ProgressUpdate",
    "plans.InspectionReport",
    "plans.InspectionPhoto",
    "plans.DraftConsultation",
    "plans.DraftCommitment",
    {"model": "plans.DraftComment", "exclude_fields": ["report_count"]},
    "opinions.OpinionMap",
    "opinions.Statement",
    "plans.Evidence",
    {
        "model": "consultations.Poll",
        "exclude_fields": [
            "ballot_count",
            "padding_count",
            "sealed_tally",
            "sealed_step",
            "sealed_marks",
            "tallied_ballot_count",
            "shown_ballot_count",
            "counted_at",
        ],
    },
    {"model": "consultations.Option", "exclude_fields": ["votes", "shown_votes"]},
    "consultations.Result",
]

# Forms rendered with KRDS markup by the project's own small template pack (templates/krds/).
CRISPY_ALLOWED_TEMPLATE_PACKS = "krds"
CRISPY_TEMPLATE_PACK = "krds"

# Korean first, English second.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# KRDS (the Korea Design System) from the npm package `krds-uiux` that `make install` puts into
# node_modules: its stylesheet with the tokens, icons and fonts, served under static/krds/.
KRDS_RESOURCES = BASE_DIR / "node_modules" / "krds-uiux" / "resources"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("krds/css/component", KRDS_RESOURCES / "css" / "component"),
    ("krds/css/token", KRDS_RESOURCES / "css" / "token"),
    ("krds/img/component", KRDS_RESOURCES / "img" / "component"),
    ("krds/fonts", KRDS_RESOURCES / "fonts"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads on this machine's disk (MEDIA_ROOT), unless S3_BUCKET names a bucket of an
# S3-compatible object store (SeaweedFS, MinIO, a cloud's) that every web server then shares.
# Downloads still pass each view's permission check, then leave by a link signed for
# S3_LINK_SECONDS, at S3_PUBLIC_ENDPOINT_URL (the store as browsers reach it) when it differs
# from S3_ENDPOINT_URL (as the servers do). See ogp_portal/storage.py and docs/deploy.md.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "ogp_portal.storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "public_endpoint_url": env("S3_PUBLIC_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("S3_REGION", default="us-east-1"),
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_expire": env.int("S3_LINK_SECONDS", default=60),
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A mail server that accepts the connection and never answers holds a worker this long at most.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="광주광역시 OGP <ogp@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The licence of the council's records and of every data set the portal publishes (open data,
# poll results): named here once, shown on the copyright page and in each download.
OPEN_DATA_LICENCE = {
    "id": "CC-BY-4.0",
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

# Celery: Redis is the broker; without REDIS_URL tasks run eagerly in the caller.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# A request that queues work never waits for the broker: it hands the task to a publishing
# thread of its process (ogp_portal/broker.py), which tries once and, after a failure, stops
# trying for a few seconds; beat relays (everything queued is in the database first).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    # A publisher's connection: one more try after a failure, then the caller carries on.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, and handed back when its worker dies: a drain that was
# killed runs again on another worker. That is safe because every task is idempotent (an
# outbox message is claimed by lease and marked as soon as it went), and it is needed because
# a task acknowledged at the start would be lost with its worker. One task at a time per
# worker process, so a long drain never holds others back in a local queue.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="ogp")
CELERY_TIMEZONE = TIME_ZONE
# Beat keeps the schedule in Redis (RedBeat), never in a file of its working directory, and
# runs only while it holds a lock there, renewed every tick: a second beat started by mistake
# waits for the lock and schedules nothing, and takes over within the lock's 30 s when the
# first one dies. Each periodic task therefore runs once per period however many beats run.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 5  # also how often a waiting beat tries the lock
CELERY_REDBEAT_REDIS_URL = REDIS_URL
CELERY_REDBEAT_KEY_PREFIX = "redbeat:"
CELERY_REDBEAT_LOCK_TIMEOUT = 30
CELERY_BEAT_SCHEDULE = {
    "outbox-send-digests": {
        "task": "outbox.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "outbox-drain": {
        "task": "outbox.tasks.drain_outbox",
        "schedule": 60.0,
    },
    "councils-send-reminders": {
        "task": "councils.tasks.send_reminders",
        "schedule": 300.0,
    },
    "proposals-announce-calls": {
        "task": "proposals.tasks.announce_calls",
        "schedule": 300.0,
    },
    "opinions-group-maps": {
        "task": "opinions.tasks.group_opinion_maps",
        "schedule": 600.0,
    },
    "consultations-close-polls": {
        "task": "consultations.tasks.close_polls",
        "schedule": 60.0,
    },
    "consultations-announce-polls": {
        "task": "consultations.tasks.announce_polls",
        "schedule": 300.0,
    },
    "consultations-count-ballots": {
        "task": "consultations.tasks.count_ballots",
        "schedule": 60.0,
    },
    "consultations-reconcile-polls": {
        "task": "consultations.tasks.reconcile_polls",
        "schedule": 600.0,
    },
    "privacy-apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": 3600.0,
    },
    "public-record-dataset-versions": {
        "task": "public_site.tasks.record_dataset_versions",
        "schedule": 3600.0,
    },
}

# Prometheus metrics at /metrics (ogp_portal.metrics), for a scraper that sends
# "Authorization: Bearer <METRICS_TOKEN>" or comes from one of METRICS_ALLOWED_NETWORKS (CIDR,
# matched against the client address as the rate limits find it); anyone else gets 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
METRICS_SOURCES = [
    "outbox.metrics.outbox_metrics",
    "consultations.metrics.poll_metrics",
    "ogp_portal.metrics.queue_metrics",
    "ogp_portal.metrics.task_metrics",
]

# Logs: one JSON object a line (LOG_FORMAT=json, the default) or plain text (LOG_FORMAT=text,
# local development), each with the request's id; personal data and secrets masked in every
# record (ogp_portal.logs). Celery's worker and beat log through the same handler.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ogp_portal.logs.RequestIdFilter"},
        "mask": {"()": "ogp_portal.logs.MaskFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{asctime}{levelname}{name}{message}{request_id}",
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "mask"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Error reports (ogp_portal.sentry): off while SENTRY_DSN is empty. Any Sentry-compatible
# server takes them: sentry.io, a self-hosted Sentry or GlitchTip (SENTRY_CA_CERTS names a CA
# bundle for a server on a closed network).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ogp_portal.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        ca_certs=env("SENTRY_CA_CERTS", default=None),
    )

# Waiting work /readyz reports (ogp_portal/health.py): name -> (model, method of its manager).
READY_BACKLOG = {
    "outbox_oldest_due_seconds": ("outbox.Message", "oldest_due_seconds"),
    "envelopes_waiting": ("consultations.Envelope", "count"),
}

# The outbox: how often a refused e-mail is tried before staff see it failed, and how long it
# waits between tries (temporary refusals, timeouts: 5 s, doubling, at most 15 min: ten tries
# span about 35 min, past the usual greylisting).
OUTBOX_MAX_ATTEMPTS = 10
OUTBOX_RETRY_SECONDS = (5, 900)
# How long a worker holds the messages it claimed: three send timeouts. It starts no send in the
# last two (a new connection and an answer, each within EMAIL_TIMEOUT), so a live worker never
# outlives its lease, and a dead worker's messages are free 30 s after it claimed them; a drain
# then takes them at once (`outbox.services.drain_follow_up`), as does a worker that starts.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=3 * EMAIL_TIMEOUT)
# How long one drain works before it hands over.
OUTBOX_DRAIN_SECONDS = env.int("OUTBOX_DRAIN_SECONDS", default=50)
# How long the unsubscribe link of an e-mail works (sealed: it does not show whose it is).
UNSUBSCRIBE_LINK_DAYS = env.int("UNSUBSCRIBE_LINK_DAYS", default=90)

# Taking part, per account and per client address (ogp_portal.views.RateLimitMixin): each ballot
# and support is one per person anyway, so these only stop scripted floods; a person refused
# gets the form back with what was typed, or the 429 page, and tries again a minute later.
PORTAL_RATE_LIMITS = {
    "vote": "10/m/user,60/m/ip",
    "support": "20/m/user,120/m/ip",
    "propose": "5/h/user,30/h/ip",
    "comment": "5/m/user,60/h/user,120/m/ip",
    "report": "10/h/user,60/h/ip",
    # agree, disagree or pass, one statement after another; writing a statement
    "opinion_vote": "60/m/user,300/m/ip",
    "statement": "5/m/user,30/h/user,60/m/ip",
    # sending and checking SMS codes, checking the residents' list: stops guessing
    "verify": "5/m/user,30/m/ip",
}

# Council meetings: when reminders go out, and what minutes may carry.
MEETING_REMINDER_BEFORE_HOURS = env.int("MEETING_REMINDER_BEFORE_HOURS", default=24)
MINUTES_REMINDER_DAYS = (3, 7)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# An HWPX (a zip) that would unpack to more than this is refused (ogp_portal.uploads).
ARCHIVE_MAX_EXPANDED_BYTES = env.int("ARCHIVE_MAX_EXPANDED_BYTES", default=50 * 1024 * 1024)


# Secret ballots enter the ballot box in shuffled batches (beat, every minute): a batch waits
# for twice this many sealed envelopes and leaves this many for the next, so that counters and
# live results move by at least this many ballots at a time; every batch also takes this many
# blank ballots drawn as the voters vote. See "Secret ballot" in the README.
POLL_BALLOTS_PER_BATCH = env.int("POLL_BALLOTS_PER_BATCH", default=25)
# ...but no envelope waits longer than this after the poll's last count: with beat every
# minute, within 6 minutes.
POLL_COUNT_WITHIN_SECONDS = env.int("POLL_COUNT_WITHIN_SECONDS", default=300)
# The privacy policy's officer (개인정보 보호책임자), shown on the policy page.
PRIVACY_OFFICER = {
    "name": env("PRIVACY_OFFICER_NAME", default="광주광역시 혁신소통기획관"),
    "contact": env("PRIVACY_OFFICER_CONTACT", default=DEFAULT_FROM_EMAIL),
}
# The anonymous page cache (ogp_portal.middleware.AnonymousPageCacheMiddleware): how long the
# pages of each app's views are kept, by the module of the view. A saved or deleted record of
# PAGE_CACHE_RECORDS (app labels) outdates every cached page at once; the records written at
# each vote do not (the poll pages' short lifetime shows new ballots within seconds instead).
PAGE_CACHE_SECONDS = {
    "public_site": 60,
    "councils": 60,
    "proposals": 60,
    "plans": 60,
    "consultations": 5,
    "opinions": 60,
}
PAGE_CACHE_RECORDS = ["councils", "proposals", "plans", "consultations", "opinions"]
PAGE_CACHE_IGNORED_RECORDS = [
    "opinions.StatementVote",
    "proposals.DebateParticipant",
    "proposals.CommentReport",
    "plans.DraftCommentReport",
    "consultations.Participation",
    "consultations.ParticipationKey",
    "consultations.Ballot",
    "consultations.BallotChoice",
    "consultations.Envelope",
]

# The OGP requirement tracker's yardsticks.
OGP_NOTICE_DAYS_BEFORE = env.int("OGP_NOTICE_DAYS_BEFORE", default=3)
OGP_MINUTES_WITHIN_DAYS = env.int("OGP_MINUTES_WITHIN_DAYS", default=30)
OGP_REPOSITORY_FRESH_DAYS = env.int("OGP_REPOSITORY_FRESH_DAYS", default=122)

# Verifications (verification). The residents' list and phone numbers are kept
# only as HMAC-SHA256 under this key; changing it voids the list and every
# verification's key, so set it once, apart from the secret key.
VERIFICATION_HASH_KEY = env("VERIFICATION_HASH_KEY", default=f"verification:{SECRET_KEY}")
# How long a verification holds, in days, per method (none: until the account is deleted).
VERIFICATION_VALID_DAYS = {"phone": 365, "resident": 365, "in_person": 730}
VERIFICATION_CODE_MINUTES = 5
VERIFICATION_CODE_ATTEMPTS = 5
# Social sign-ins the secretariat counts as a verification ("kakao", "naver").
VERIFICATION_SOCIAL_PROVIDERS = env.list("VERIFICATION_SOCIAL_PROVIDERS", default=[])
# Text messages cost the city money: limits per destination number, account and client (rolling
# windows), and a daily budget for the whole site; staff hear of it at 80 %
# (verification.sms_limits.sms_allowance_take).
SMS_LIMITS = {
    "number_per_hour": env.int("SMS_NUMBER_PER_HOUR", default=5),
    "number_per_day": env.int("SMS_NUMBER_PER_DAY", default=10),
    "account_per_day": env.int("SMS_ACCOUNT_PER_DAY", default=10),
    "client_per_hour": env.int("SMS_CLIENT_PER_HOUR", default=30),
    "client_per_day": env.int("SMS_CLIENT_PER_DAY", default=100),
    "budget_per_day": env.int("SMS_BUDGET_PER_DAY", default=2000),
}
SMS_BUDGET_ALERT_SHARE = 0.8
# Verification codes, which anyone may ask for, use at most this share of the day's budget: the
# rest is kept for the notices the city sends, so that nobody can silence them by asking codes.
SMS_CODES_SHARE = 0.5
# SMS: the console backend prints codes; verification.sms.HttpGateway with SMS_HTTP
# sends them through a provider's HTTP API (see that module).
SMS_BACKEND = env("SMS_BACKEND", default="verification.sms.ConsoleGateway")
SMS_HTTP = {
    "url": env("SMS_HTTP_URL", default="https://apis.aligo.in/send/"),
    "key": env("SMS_HTTP_KEY", default=""),
    "user_id": env("SMS_HTTP_USER_ID", default=""),
    "sender": env("SMS_HTTP_SENDER", default=""),
}
# SOLAPI (verification.sms.SolapiGateway): SMS, LMS and KakaoTalk 알림톡 through its REST API.
# SMS_SENDER is the number registered with the provider (발신번호 사전등록).
SMS_SOLAPI = {
    "url": env("SMS_SOLAPI_URL", default="https://api.solapi.com"),
    "api_key": env("SMS_SOLAPI_API_KEY", default=""),
    "api_secret": env("SMS_SOLAPI_API_SECRET", default=""),
    "sender": env("SMS_SENDER", default=""),
    "pf_id": env("SMS_SOLAPI_PF_ID", default=""),
}
# Notices by text (outbox.channels): the approved 알림톡 template of each kind of notice
# (empty: that kind goes as SMS/LMS), the quiet hours (local time) when only time-critical
# notices go, and the daily limits shared with the verification codes.
ALIMTALK_TEMPLATES = {
    kind: env(f"ALIMTALK_TEMPLATE_{kind.upper()}", default="")
    for kind in ("meetings", "polls", "my_proposals", "replies", "calls", "debates")
}
TEXT_QUIET_HOURS = (21, 8)
