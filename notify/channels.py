"""The two ways out: an SMS through the backend of settings.SMS_BACKEND, an e-mail through Django's mail backend.

Both return a SendResult and never raise for what the network or the server does; the outbox decides on retries.
"""

import functools
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.signals import setting_changed
from django.dispatch import receiver

from notify.models import Message
from notify.sms import SendResult, SmsMessage, get_backend
from notify.sms.file import FileBackend
from notify.sms.gateway import GatewayBackend

SMS_SETTINGS = {"SMS_BACKEND", "SMS_SENDER", "SMS_API_KEY", "SMS_BASE_URL", "SMS_TIMEOUT", "SMS_FILE_PATH"}


@functools.cache
def sms_backend():
    """One backend per process (a gateway adapter remembers what it sent), rebuilt when the settings change."""
    from django.utils.module_loading import import_string

    path = settings.SMS_BACKEND
    backend_class = import_string(path)
    options: dict[str, object] = {"sender": settings.SMS_SENDER or "miz"}
    if isinstance(backend_class, type) and issubclass(backend_class, GatewayBackend):
        options.update(
            api_key=settings.SMS_API_KEY,
            sender=settings.SMS_SENDER,
            base_url=settings.SMS_BASE_URL or None,
            timeout=settings.SMS_TIMEOUT,
        )
    elif isinstance(backend_class, type) and issubclass(backend_class, FileBackend):
        options["path"] = settings.SMS_FILE_PATH
    return get_backend(path, **options)


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    if setting in SMS_SETTINGS:
        sms_backend.cache_clear()


def send_sms(message: Message) -> SendResult:
    idempotency_key = str(message.delivery_id)
    return sms_backend().send(SmsMessage(to=message.recipient, text=message.text, idempotency_key=idempotency_key))


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={
            # The same id on a retry lets mail programs drop a copy that a timed-out first attempt delivered.
            "Message-ID": f"<{message.delivery_id.hex}@{_domain()}>",
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{_unsubscribe_url(message)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(message.html, "text/html")
    return email


def _domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
    return address.rpartition("@")[2] or "miz.invalid"


def _unsubscribe_url(message: Message) -> str:
    from notify.outbox import unsubscribe_url

    return unsubscribe_url(str(message.delivery_id))


def send_email(message: Message) -> SendResult:
    try:
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
        sent = connection.send_messages([build_email(message)])
    except smtplib.SMTPRecipientsRefused as error:
        return _smtp_result(error.recipients, "recipient refused")
    except smtplib.SMTPResponseException as error:
        detail = f"{error.smtp_code} {error.smtp_error!r}"
        if 500 <= error.smtp_code < 600:
            return SendResult.rejected(detail, status_code=error.smtp_code)
        return SendResult.transient(detail, status_code=error.smtp_code)
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        return SendResult.transient(f"{type(error).__name__}: {error}")
    if not sent:
        return SendResult.transient("the mail backend sent nothing")
    return SendResult.success(gateway_id="", detail="accepted by the mail server")


def _smtp_result(recipients: dict, what: str) -> SendResult:
    codes = [code for code, _ in recipients.values()]
    code = codes[0] if codes else None
    if code is not None and 500 <= code < 600:
        return SendResult.rejected(f"{what}: {code}", status_code=code)
    return SendResult.transient(f"{what}: {code}", status_code=code)
