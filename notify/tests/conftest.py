import pytest

from cases.tests.test_browser import browser, phone  # noqa: F401 (the real browser, for test_browser.py)
from notify.sms.file import FileBackend
from notify.tests.fake_gateways import FakeKavenegar, FakeSmsIr
from notify.tests.smtp_server import SmtpServer


@pytest.fixture
def fake_kavenegar():
    with FakeKavenegar() as gateway:
        yield gateway


@pytest.fixture
def fake_smsir():
    with FakeSmsIr() as gateway:
        yield gateway


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def sms_file(settings, tmp_path):
    """SMS go to a file of this test alone."""
    settings.SMS_BACKEND = "notify.sms.file.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return FileBackend(settings.SMS_FILE_PATH)
