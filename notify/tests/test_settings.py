"""E-mail and SMS are configured from the environment with Django's own names."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SMS_BACKEND, sep='|')"
)


def settings_with(var_dir: Path, **env) -> list[str]:
    """The settings a fresh process computes from this environment (and none of the test run's)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SMS_", "DEFAULT_FROM"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="miz.settings.dev", MIZ_VAR_DIR=str(var_dir))
    result = subprocess.run(  # noqa: S603 (our own interpreter and a constant program)
        [sys.executable, "-c", PRINT], cwd=ROOT, env=clean, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip().split("|")


def test_without_email_host_e_mail_goes_to_the_console(tmp_path):
    backend, host, *_ = settings_with(tmp_path)
    assert backend == "django.core.mail.backends.console.EmailBackend" and host == ""


@pytest.mark.parametrize("tls", ["1", "0"])
def test_email_host_and_its_companions_come_from_the_environment(tmp_path, tls):
    backend, host, port, use_tls, sender, _ = settings_with(
        tmp_path,
        EMAIL_HOST="mail.example.ir",
        EMAIL_PORT="587",
        EMAIL_USE_TLS=tls,
        DEFAULT_FROM_EMAIL="desk@example.ir",
    )
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, port, use_tls, sender) == ("mail.example.ir", "587", str(tls == "1"), "desk@example.ir")


def test_the_sms_backend_is_chosen_by_the_environment(tmp_path):
    assert settings_with(tmp_path)[-1] == "notify.sms.console.ConsoleBackend"
    assert settings_with(tmp_path, SMS_BACKEND="notify.sms.kavenegar.KavenegarBackend")[-1].endswith("KavenegarBackend")
