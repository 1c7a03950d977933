"""Local development and `make run`: debug on by default, a secret kept under var/."""

import secrets

from miz.env import env_bool
from miz.settings.base import *
from miz.settings.base import VAR_DIR

DEBUG = env_bool("DEBUG", True)

if not SECRET_KEY:
    # A first run gets a random key that survives restarts, so sessions stay valid.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

# Serve static files straight from the source folders while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
