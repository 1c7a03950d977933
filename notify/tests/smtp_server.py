"""A real SMTP server (aiosmtpd) on loopback that keeps what it received, and can be stopped and started again.

It answers like a mail server: a scripted reply code for the next RCPT lets tests see a 4xx or 5xx refusal.
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: email.message.EmailMessage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.server.next_rcpt_reply()
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.server.record(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self._replies: list[str] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> "SmtpServer":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """From now on a connection is refused, like a mail server that is down."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse_next_recipient(self, reply: str) -> None:
        """The next RCPT TO gets this reply, e.g. "550 5.1.1 No such user" or "451 4.3.0 Try again later"."""
        with self._lock:
            self._replies.append(reply)

    def next_rcpt_reply(self) -> str | None:
        with self._lock:
            return self._replies.pop(0) if self._replies else None

    def record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [r.message for r in self.received if address in r.rcpt_tos]
