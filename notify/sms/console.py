"""Development: every message is printed and succeeds."""

import sys
import uuid
from typing import TextIO

from django.utils.translation import gettext_lazy as _

from notify.sms.base import SendResult, SmsBackend, SmsMessage
from notify.sms.length import segments


class ConsoleBackend(SmsBackend):
    verbose_name = _("Console (development)")

    def __init__(self, *, sender: str = "console", stream: TextIO | None = None) -> None:
        super().__init__(sender=sender)
        self.stream = stream  # None: sys.stdout at the time of sending (so test capture sees it)

    def _send(self, message: SmsMessage) -> SendResult:
        encoding, count = segments(message.text)
        gateway_id = f"console-{uuid.uuid4().hex[:12]}"
        stream = self.stream if self.stream is not None else sys.stdout
        stream.write(
            f"----- SMS {gateway_id}\n"
            f"from: {self.sender}\n"
            f"to: {message.to}\n"
            f"idempotency key: {message.idempotency_key}\n"
            f"parts: {count} ({encoding})\n"
            f"\n{message.text}\n"
            f"-----\n"
        )
        stream.flush()
        return SendResult.success(gateway_id, detail=f"printed, {count} part(s) in {encoding}")
