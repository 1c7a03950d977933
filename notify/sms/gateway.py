"""What the HTTP gateway adapters share: one bounded request, network failures as results, no secret leaks.

Only the standard library is used (urllib). Redirects are not followed: a gateway API does not redirect a send,
and following one could carry the API key to another host. A timeout applies to connecting and to each read.
"""

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import ClassVar
from urllib.parse import quote, quote_plus, urlsplit

from django.core.exceptions import ImproperlyConfigured

from notify.sms.base import REDACTED, SendResult, SmsBackend, SmsMessage, clip, redact

# An answer longer than this is not a send answer; reading stops there.
MAX_ANSWER_BYTES = 64 * 1024
# Gateways that echo the request put the text under one of these keys; a snippet of a broken answer is cleaned
# of their values even when the JSON was cut off in the middle of one.
_ECHO_VALUE_RE = re.compile(r'("(?:message|messagetext|messagetexts|text)"\s*:\s*")(?:[^"\\]|\\.)*("|$)', re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    content_type: str
    body: bytes


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError for the 3xx, which becomes a transient result


class GatewayBackend(SmsBackend):
    """An adapter for a gateway's public HTTP API.

    Within one instance a message accepted once is never sent again: a second send() with the same
    idempotency_key returns the first result without calling the gateway, and concurrent sends of one key wait
    for each other. Across processes only the gateway can deduplicate; see each adapter.
    """

    default_base_url: ClassVar[str] = ""
    remembered_keys: ClassVar[int] = 10_000

    def __init__(
        self,
        *,
        api_key: str,
        sender: str,
        base_url: str | None = None,
        timeout: float = 10,
        proxies: dict[str, str] | None = None,
    ) -> None:
        super().__init__(sender=sender)
        if not api_key:
            raise ImproperlyConfigured(f"{type(self).__name__} needs an api_key.")
        if not self.sender:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a sender line number.")
        if not timeout or timeout <= 0:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a positive timeout.")
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(f"{type(self).__name__} needs an http(s) base_url.")
        self.timeout = float(timeout)
        self._api_key = str(api_key)
        # proxies=None uses the environment's (http_proxy, https_proxy, no_proxy), like every urllib client.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _RefuseRedirects)
        self._accepted: OrderedDict[str, SendResult] = OrderedDict()
        self._in_flight: set[str] = set()
        self._memory = threading.Condition()

    def secrets(self, message: SmsMessage | None = None) -> list[str]:
        found = [self._api_key, quote(self._api_key, safe=""), quote_plus(self._api_key)]
        if message is not None:
            text = message.text
            found += [
                text,
                json.dumps(text)[1:-1],
                json.dumps(text, ensure_ascii=False)[1:-1],
                quote(text, safe=""),
                quote_plus(text),
            ]
        return found

    def send(self, message: SmsMessage) -> SendResult:
        key = message.idempotency_key
        with self._memory:
            while key in self._in_flight:
                self._memory.wait()
            earlier = self._accepted.get(key)
            if earlier is not None:
                self._accepted.move_to_end(key)
                return replace(earlier, detail=clip(f"already accepted by this backend; {earlier.detail}"))
            self._in_flight.add(key)
        result: SendResult | None = None
        try:
            result = super().send(message)
        finally:
            with self._memory:
                self._in_flight.discard(key)
                if result is not None and result.ok:
                    self._accepted[key] = result
                    while len(self._accepted) > self.remembered_keys:
                        self._accepted.popitem(last=False)
                self._memory.notify_all()
        return result

    def _send(self, message: SmsMessage) -> SendResult:
        answer = self._exchange(message, self._request(message))
        if isinstance(answer, SendResult):
            return answer
        return self._interpret(answer, message)

    def _request(self, message: SmsMessage) -> urllib.request.Request:
        """The gateway's send request for this message."""
        raise NotImplementedError

    def _interpret(self, answer: HttpAnswer, message: SmsMessage) -> SendResult:
        """The gateway's answer as a SendResult."""
        raise NotImplementedError

    @staticmethod
    def _refused(gateway: str, status: int, statuses: dict, said: str, answer: HttpAnswer) -> SendResult:
        """A documented refusal: permanent or transient as the gateway's status table says; unknown ones retry."""
        permanent, meaning = statuses.get(status, (False, "unknown status"))
        detail = f"{gateway} {status} ({meaning}): {said}"
        if permanent:
            return SendResult.rejected(detail, status_code=answer.status)
        return SendResult.transient(detail, status_code=answer.status)

    def _exchange(self, message: SmsMessage, request: urllib.request.Request) -> HttpAnswer | SendResult:
        """The gateway's answer, whatever its HTTP status, or a transient result when no whole answer came."""
        try:
            # The scheme was checked in __init__ (http or https only).
            with self._opener.open(request, timeout=self.timeout) as response:
                return HttpAnswer(response.status, response.headers.get("Content-Type", ""), _read(response))
        except urllib.error.HTTPError as error:
            with error:
                try:
                    body = _read(error)
                except (OSError, http.client.HTTPException):
                    body = b""
                return HttpAnswer(error.code, error.headers.get("Content-Type", "") if error.headers else "", body)
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                return SendResult.transient(f"no connection within {self.timeout:g}s")
            if isinstance(reason, ConnectionRefusedError):
                return SendResult.transient("connection refused")
            return SendResult.transient(f"network error: {self._clean(str(reason), message)}")
        except TimeoutError:
            return SendResult.transient(
                f"no answer within {self.timeout:g}s; the gateway may or may not have accepted the message"
            )
        except (http.client.HTTPException, OSError) as error:
            return SendResult.transient(
                f"connection broken ({type(error).__name__}); the gateway may or may not have accepted the message"
            )

    def _clean(self, text: str, message: SmsMessage) -> str:
        return redact(text, self.secrets(message))

    def _snippet(self, answer: HttpAnswer, message: SmsMessage) -> str:
        """A readable, secret-free beginning of an answer that could not be understood."""
        text = answer.body[:2000].decode("utf-8", errors="replace")
        text = _ECHO_VALUE_RE.sub(lambda m: m.group(1) + REDACTED + m.group(2), text)
        text = _TAG_RE.sub(" ", text)
        return clip(self._clean(text, message), 300)

    def _malformed(self, answer: HttpAnswer, message: SmsMessage, what: str) -> SendResult:
        return SendResult.transient(
            f"malformed answer ({what}; HTTP {answer.status}, {answer.content_type or 'no content type'}, "
            f"{len(answer.body)} bytes): {self._snippet(answer, message)}",
            status_code=answer.status,
        )


def _read(response) -> bytes:
    return response.read(MAX_ANSWER_BYTES)


def json_or_none(body: bytes) -> object | None:
    """The parsed JSON of an answer, or None when it is not JSON (an HTML page, a cut-off body, ...)."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None


def int_or_none(value: object) -> int | None:
    """An integer status from an answer; JSON true/false and strings of digits are not trusted as statuses."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
