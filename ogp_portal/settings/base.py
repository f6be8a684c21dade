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
    "consultations",
    "public_site",
]

MIDDLEWARE = [
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_POOL", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=2.0),
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "ogp_portal.User"

# Redis: Celery broker and the shared cache (rate limits, sessions-independent counters).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis down must not fail a request: the cache then lives in each process's memory.
    CACHES = {
        "default": {
            "BACKEND": "ogp_portal.cache.RedisWithFallbackCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="ogp"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
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
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
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
# Audit and access records keep a deleted person as this keyed hash (audit.retention).
AUDIT_PSEUDONYM_KEY = env("AUDIT_PSEUDONYM_KEY", default=f"audit-pseudonym:{SECRET_KEY}")
AUDITLOG_MASK_CALLABLE = "audit.masks.hidden"
AUDITLOG_INCLUDE_TRACKING_MODELS = [
    {
        "model": "ogp_portal.User",
        "include_fields": [
            "username",
            "email",
            "first_name",
            "last_name",
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
    "proposals.ActionPlan",
    {"model": "proposals.Commitment", "m2m_fields": ["working_groups", "meetings"]},
    "proposals.Milestone",
    {"model": "consultations.Booth", "m2m_fields": ["officers"]},
    {"model": "verification.Verification", "mask_fields": ["identity_key"]},
    "proposals.ProgressUpdate",
    "proposals.InspectionReport",
    "proposals.InspectionPhoto",
    {
        "model": "consultations.Poll",
        "exclude_fields": ["ballot_count", "shown_ballot_count", "counted_at"],
    },
    {"model": "consultations.Option", "exclude_fields": ["votes"]},
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
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# Celery: Redis is the broker; without REDIS_URL tasks run eagerly in the caller.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# A request that queues work never waits for a broker that is down: one quick try, then the
# caller logs it and beat relays (everything queued is in the database first).
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# The outbox: how often a refused e-mail is tried before staff see it failed, how long a
# worker holds the messages it claimed, how long one drain works before it hands over.
OUTBOX_MAX_ATTEMPTS = 5
# A lease of 45 s and beat's drain every minute: what a dead worker held goes out within 2 min.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=45)
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
# live results move by at least this many ballots at a time. See "Secret ballot" in the README.
POLL_BALLOTS_PER_BATCH = env.int("POLL_BALLOTS_PER_BATCH", default=25)
# ...but no envelope waits longer than this after the poll's last count (a small batch is then
# padded with the poll's earlier ballots): with beat every minute, within 6 minutes.
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
    "consultations": 5,
}
PAGE_CACHE_RECORDS = ["councils", "proposals", "consultations"]
PAGE_CACHE_IGNORED_RECORDS = [
    "proposals.DebateParticipant",
    "proposals.CommentReport",
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
# (verification.services.sms_allowance_take).
SMS_LIMITS = {
    "number_per_hour": env.int("SMS_NUMBER_PER_HOUR", default=5),
    "number_per_day": env.int("SMS_NUMBER_PER_DAY", default=10),
    "account_per_day": env.int("SMS_ACCOUNT_PER_DAY", default=10),
    "client_per_hour": env.int("SMS_CLIENT_PER_HOUR", default=30),
    "client_per_day": env.int("SMS_CLIENT_PER_DAY", default=100),
    "budget_per_day": env.int("SMS_BUDGET_PER_DAY", default=2000),
}
SMS_BUDGET_ALERT_SHARE = 0.8
# SMS: the console backend prints codes; verification.sms.HttpGateway with SMS_HTTP
# sends them through a provider's HTTP API (see that module).
SMS_BACKEND = env("SMS_BACKEND", default="verification.sms.ConsoleGateway")
SMS_HTTP = {
    "url": env("SMS_HTTP_URL", default="https://apis.aligo.in/send/"),
    "key": env("SMS_HTTP_KEY", default=""),
    "user_id": env("SMS_HTTP_USER_ID", default=""),
    "sender": env("SMS_HTTP_SENDER", default=""),
}
