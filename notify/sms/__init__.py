"""Sending SMS: SmsMessage in, SendResult out, through the backend chosen by settings.

For example, get_backend("notify.sms.kavenegar.KavenegarBackend", api_key=key, sender="10004346") gives a
backend whose send(SmsMessage(to="+989121234567", text=text, idempotency_key="outbox-42")) returns a SendResult.
"""

from notify.sms.base import SendResult, SmsBackend, SmsMessage, get_backend, is_iranian_mobile
from notify.sms.length import Encoding, fit, parts, segments

__all__ = [
    "Encoding",
    "SendResult",
    "SmsBackend",
    "SmsMessage",
    "fit",
    "get_backend",
    "is_iranian_mobile",
    "parts",
    "segments",
]
