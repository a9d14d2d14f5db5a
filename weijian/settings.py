"""The one settings module. What differs between deployments comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from weijian.config import Env, field_key_bytes, new_field_key, new_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WEIJIAN_VAR_DIR", BASE_DIR / "var"))

env = Env(os.environ)

DEBUG = env.flag("DEBUG", False)
# Demo mode loads sample data and demo accounts; never on in production.
DEMO = env.flag("WEIJIAN_DEMO", DEBUG)
if DEMO and not DEBUG:
    raise env.fail(
        "WEIJIAN_DEMO", "演示模式不能在生产模式（DEBUG=0）下开启：演示账户的密码是公开的"
    )

SECRET_KEY = env.secret(
    "SECRET_KEY", required=not DEBUG, keep_in=VAR_DIR / "secret_key", make=new_secret_key
)
WEIJIAN_FIELD_KEY = field_key_bytes(
    env,
    "WEIJIAN_FIELD_KEY",
    env.secret(
        "WEIJIAN_FIELD_KEY", required=not DEBUG, keep_in=VAR_DIR / "field_key", make=new_field_key
    ),
)

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise env.fail("ALLOWED_HOSTS", "生产模式（DEBUG=0）下必须设置 (required when DEBUG is off)")
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'weijian.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "weijian.core",
    "weijian.accounts",
    "weijian.orgs",
    "weijian.portal",
    "weijian.plans",
    "weijian.reporting",
    "weijian.notifications",
    "weijian.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "weijian.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "weijian.core.middleware.AuditContextMiddleware",
    "weijian.accounts.middleware.IdleTimeoutMiddleware",
    "weijian.accounts.middleware.LoginRequirementsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "weijian.urls"
WSGI_APPLICATION = "weijian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "weijian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "weijian.core.context_processors.site",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "weijian.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "weijian.accounts.validators.CharacterClassValidator"},
    {"NAME": "weijian.accounts.validators.UsernameNotContainedValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.text("STATIC_ROOT", str(VAR_DIR / "static"))
# Uploaded files (report attachments); served only through views that check access.
MEDIA_ROOT = env.text("MEDIA_ROOT", str(VAR_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "weijian" / "static"]

# Sessions: the idle timeout is enforced by middleware from the security policy; the cookie
# never outlives a working day and dies with the browser.
SESSION_COOKIE_AGE = 12 * 60 * 60
# A plan's import preview posts seven fields per target and three per task to check: a
# 2,000-task plan needs several thousand (Django's default stops at 1,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, minimum=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_CONFIG = env.email("EMAIL_URL", "consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "weijian@localhost")
# Text messages: a dotted path to a class with send(phone, text); the default only logs.
WEIJIAN_SMS_BACKEND = env.text("WEIJIAN_SMS_BACKEND", "weijian.notifications.sms.LoggingSMSBackend")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Behind nginx, which sets X-Real-IP to the client's address; off when clients reach us directly.
WEIJIAN_TRUST_X_REAL_IP = env.flag("WEIJIAN_TRUST_X_REAL_IP", False)

WEIJIAN_SITE_NAME = env.text("WEIJIAN_SITE_NAME", "卫健综合治理平台")

# 双随机、一公开: inspection results are published within this many working days of completion;
# later ones are flagged and `check_publication_deadlines` notifies the plan owner's staff.
WEIJIAN_PUBLICATION_WORKDAYS = env.integer("WEIJIAN_PUBLICATION_WORKDAYS", 20, minimum=1)

# Fonts of generated documents (weijian.core.documents.fonts): 仿宋_GB2312, 方正小标宋 and 黑体
# are commercial, so the defaults are the free Noto CJK fonts of Debian's fonts-noto-cjk. The
# .docx names fonts (Word substitutes one it lacks); the .pdf embeds font files (.ttf/.otf/.ttc).
# An empty title or heading font means the body font.
WEIJIAN_DOCUMENT_FONT = env.text("WEIJIAN_DOCUMENT_FONT", "Noto Serif CJK SC")
WEIJIAN_DOCUMENT_TITLE_FONT = env.text("WEIJIAN_DOCUMENT_TITLE_FONT", "Noto Serif CJK SC")
WEIJIAN_DOCUMENT_HEADING_FONT = env.text("WEIJIAN_DOCUMENT_HEADING_FONT", "Noto Sans CJK SC")
NOTO_DIR = "/usr/share/fonts/opentype/noto"
WEIJIAN_PDF_FONT = env.text("WEIJIAN_PDF_FONT", f"{NOTO_DIR}/NotoSerifCJK-Regular.ttc")
WEIJIAN_PDF_TITLE_FONT = env.text("WEIJIAN_PDF_TITLE_FONT", f"{NOTO_DIR}/NotoSerifCJK-Bold.ttc")
WEIJIAN_PDF_HEADING_FONT = env.text(
    "WEIJIAN_PDF_HEADING_FONT", f"{NOTO_DIR}/NotoSansCJK-Regular.ttc"
)

OTP_TOTP_ISSUER = WEIJIAN_SITE_NAME

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    # fontTools logs every glyph it keeps when a PDF embeds a font subset.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
