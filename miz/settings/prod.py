"""Production: refuses to start without its secrets; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from miz.env import env_bool, env_int, env_str
from miz.settings.base import *

DEBUG = False
# Every member of staff signs in with a second factor in production unless the deployment says otherwise.
MIZ_STAFF_REQUIRE_TOTP = env_bool("MIZ_STAFF_REQUIRE_TOTP", True)
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if not env_str("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this site answers to.")

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
