"""The SMS layer the notification outbox calls: one SmsMessage in, one SendResult out.

send() never raises for what the network or the gateway does. A timeout, a refused connection, a 5xx or a
malformed answer come back as SendResult(ok=False, permanent=False); an answer that retrying cannot change
(a bad number, a blocked recipient, an invalid API key) comes back with permanent=True. The outbox worker's
retry policy is the only place that decides what happens next.

A retry of a message carries the same idempotency_key. Backends whose gateway deduplicates on a client-side id
pass the key to it, so a retry after a timeout never sends twice; see each adapter for what its gateway offers.
"""

import logging
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("notify.sms")

DETAIL_LIMIT = 500
IRANIAN_MOBILE_RE = re.compile(r"\+989[0-9]{9}", re.ASCII)
REDACTED = "[redacted]"
# Secrets shorter than this are not searched for: replacing every "12" in an answer would destroy it, and the
# structured details never copy the text anyway.
_MIN_SECRET_LENGTH = 4


def is_iranian_mobile(number: object) -> bool:
    """True for an Iranian mobile number in E.164 (+989 and nine digits), the form the project stores."""
    return isinstance(number, str) and IRANIAN_MOBILE_RE.fullmatch(number) is not None


def national_mobile(e164: str) -> str:
    """+989121234567 -> 09121234567, the national form most Iranian gateways want."""
    if not is_iranian_mobile(e164):
        raise ValueError("not an Iranian mobile number in E.164")
    return "0" + e164[3:]


def clip(text: str, limit: int = DETAIL_LIMIT) -> str:
    """Whitespace collapsed and at most limit characters, so a detail fits a log line and a database column."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret of a useful length replaced, longest first."""
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


@dataclass(frozen=True, slots=True)
class SmsMessage:
    """One SMS to one Iranian mobile; the text stays out of repr() so a logged message does not leak it."""

    to: str  # E.164, +989xxxxxxxxx
    text: str = field(repr=False)
    idempotency_key: str  # unique per message, the same on every retry of it


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    permanent: bool = False  # True when retrying cannot help: bad number, blocked, invalid API key, ...
    gateway_id: str = ""  # the gateway's id for the accepted message
    detail: str = ""  # the gateway's answer, clipped, never the API key or the message text
    status_code: int | None = None  # the HTTP status of the answer; None when no answer came

    def __post_init__(self) -> None:
        if self.ok and self.permanent:
            raise ValueError("a successful result cannot be a permanent failure")
        object.__setattr__(self, "detail", clip(self.detail))

    @classmethod
    def success(cls, gateway_id: str, detail: str = "", status_code: int | None = None) -> "SendResult":
        return cls(ok=True, permanent=False, gateway_id=str(gateway_id), detail=detail, status_code=status_code)

    @classmethod
    def transient(cls, detail: str, status_code: int | None = None) -> "SendResult":
        return cls(ok=False, permanent=False, detail=detail, status_code=status_code)

    @classmethod
    def rejected(cls, detail: str, status_code: int | None = None) -> "SendResult":
        return cls(ok=False, permanent=True, detail=detail, status_code=status_code)


class SmsBackend:
    """Delivers one message; subclasses implement _send() and may raise, send() never does."""

    verbose_name = _("SMS backend")

    def __init__(self, *, sender: str = "") -> None:
        self.sender = str(sender)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} sender={self.sender!r}>"

    def secrets(self, message: SmsMessage | None = None) -> list[str]:
        """Strings that must never reach a detail or a log line: the message text, and an adapter's API key."""
        return [message.text] if message is not None else []

    def check(self, message: SmsMessage) -> SendResult | None:
        """A permanent failure for a message no gateway could deliver, before anything is sent."""
        if not is_iranian_mobile(message.to):
            return SendResult.rejected("the recipient is not an Iranian mobile number in E.164 (+989xxxxxxxxx)")
        if not message.text or not message.text.strip():
            return SendResult.rejected("the text is empty")
        if not message.idempotency_key:
            return SendResult.rejected("the message has no idempotency key")
        return None

    def send(self, message: SmsMessage) -> SendResult:
        result = self.check(message)
        if result is None:
            try:
                result = self._send(message)
            except Exception:  # noqa: BLE001
                # A bug here must not kill the worker; the traceback is logged, without secrets.
                logger.error(
                    "SMS %s through %r failed unexpectedly:\n%s",
                    message.idempotency_key,
                    self,
                    redact(traceback.format_exc(), self.secrets(message)),
                )
                result = SendResult.transient("unexpected error in the SMS backend; see the log")
        # Defence in depth: whatever an adapter built, no secret leaves in the detail.
        cleaned = clip(redact(result.detail, self.secrets(message)))
        if cleaned != result.detail:
            result = replace(result, detail=cleaned)
        if result.ok:
            logger.info("SMS %s accepted by %r as %s", message.idempotency_key, self, result.gateway_id)
        else:
            logger.warning(
                "SMS %s not accepted by %r (%s): %s",
                message.idempotency_key,
                self,
                "permanent" if result.permanent else "transient",
                result.detail,
            )
        return result

    def _send(self, message: SmsMessage) -> SendResult:
        raise NotImplementedError


def get_backend(dotted_path: str, **options: object) -> SmsBackend:
    """An instance of the SmsBackend subclass at dotted_path, built with options (api_key=..., sender=..., ...)."""
    try:
        backend_class = import_string(dotted_path)
    except ImportError as error:
        raise ImproperlyConfigured(f"The SMS backend {dotted_path!r} cannot be imported: {error}") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"{dotted_path!r} is not an SmsBackend subclass.")
    return backend_class(**options)
