"""The test suite: fast hashing, files in a throw-away directory."""

import tempfile

from miz.settings.base import *
from miz.settings.base import STORAGES

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TEST_FILES = tempfile.mkdtemp(prefix="miz-test-")
STORAGES = {
    **STORAGES,
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{_TEST_FILES}/attachments", "base_url": None},
    },
    "photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{_TEST_FILES}/photos", "base_url": None},
    },
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "miz-test"}}
WHITENOISE_AUTOREFRESH = True
# SMS go to a file the tests read; the sender names the test line.
SMS_BACKEND = "notify.sms.file.FileBackend"
SMS_FILE_PATH = f"{_TEST_FILES}/sms.jsonl"
SMS_SENDER = "10004346"
MIZ_SITE_URL = "https://miz.example"
