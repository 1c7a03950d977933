"""Kavenegar (kavenegar.com) through its public REST API, method sms/send.

Documentation followed
- https://kavenegar.com/rest.html (official): POST https://api.kavenegar.com/v1/{API-KEY}/sms/send.json, the key
  in the path; every answer is {"return": {"status", "message"}, "entries": ...} and return.status 200 means done.
- The official SDKs https://github.com/kavenegar/kavenegar-python (form-encoded POST, 10 s timeout, success only
  when return.status is 200) and https://github.com/kavenegar/kavenegar-node (the entries of a send: messageid,
  status, statustext, sender, receptor, date, cost, and the message text itself).
- The return.status table below, which several independent clients copy identically from rest.html (for example
  https://github.com/FardaDev/kavenegar-for-laravel docs/api-endpoints.md and docs/error-codes.md).

Request: receptor in the national form 09xxxxxxxxx, message, sender (our line), localid. localid is a Long that
Kavenegar uses against duplicates: a send repeating a localid it has already seen is not sent again, and the
answer describes the earlier message. It is derived from the idempotency key (kavenegar_localid), the same in
every process, so a retry after a timeout, even from another worker, never sends twice.

Could not confirm from the official page itself (only the start of rest.html was readable; the rest comes from
the clients above): the exact wording of the localid rule and how long Kavenegar remembers a localid; whether
the HTTP status always mirrors return.status (both are handled: the JSON decides); and what 429 "IP restricted"
means in practice (taken as a rate limit, so transient).

Classification: see KAVENEGAR_STATUSES; an unknown status is transient (retries are harmless thanks to localid).
Insufficient credit (418) is transient on purpose: the messages should go out once the account is topped up.
"""

import hashlib
import urllib.request
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

from notify.sms.base import SendResult, SmsMessage, national_mobile
from notify.sms.gateway import GatewayBackend, HttpAnswer, int_or_none, json_or_none

# return.status -> (permanent, what it means); 200 is success.
KAVENEGAR_STATUSES: dict[int, tuple[bool, str]] = {
    400: (True, "incomplete parameters"),
    401: (True, "account disabled"),
    402: (False, "operation failed"),
    403: (True, "invalid API key"),
    404: (True, "unknown method"),
    405: (True, "wrong HTTP method"),
    406: (True, "mandatory parameters empty"),
    407: (True, "access not allowed (IP settings)"),
    409: (False, "server cannot answer now, try later"),
    411: (True, "invalid receptor"),
    412: (True, "invalid sender line"),
    413: (True, "message empty or too long"),
    414: (True, "too many records in the request"),
    415: (True, "start index beyond the total"),
    416: (True, "source IP does not match the account settings"),
    417: (True, "invalid send date"),
    418: (False, "insufficient credit"),
    419: (True, "array lengths differ"),
    420: (True, "links in the text are restricted for this account"),
    422: (True, "text has characters that cannot be processed"),
    424: (True, "template not found"),
    426: (True, "method needs the advanced service"),
    427: (True, "line needs an access level"),
    428: (True, "code by voice call not possible"),
    429: (False, "IP restricted"),
    431: (True, "invalid code structure"),
    432: (True, "code parameter not found in the text"),
    451: (False, "too many calls in the period, IP restricted"),
    501: (True, "test messages only to the account owner's number"),
    607: (True, "invalid tag name"),
}
# Status of a message (entries[].status) that a send may already report.
KAVENEGAR_MESSAGE_ACCEPTED = frozenset({1, 2, 4, 5, 10})  # queued, scheduled, sent to the operator (twice), delivered
# Failed outcomes. They are permanent: a retry repeats the localid, so Kavenegar answers with the same outcome.
KAVENEGAR_MESSAGE_FAILED: dict[int, str] = {
    6: "failed to send",
    11: "not delivered",
    13: "cancelled",
    14: "blocked by the recipient",
    100: "invalid message id",
}

_LOCALID_MAX = 2**63 - 1


def kavenegar_localid(idempotency_key: str) -> int:
    """The positive Long sent as localid: the key itself when it is a plain positive number, else a hash of it."""
    key = str(idempotency_key)
    if key.isascii() and key.isdigit() and not key.startswith("0") and int(key) <= _LOCALID_MAX:
        return int(key)
    digest = hashlib.sha256(b"miz-sms-localid:" + key.encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") & _LOCALID_MAX) or 1


class KavenegarBackend(GatewayBackend):
    verbose_name = _("Kavenegar")
    default_base_url = "https://api.kavenegar.com/v1"

    def _request(self, message: SmsMessage) -> urllib.request.Request:
        url = f"{self.base_url}/{quote(self._api_key, safe='')}/sms/send.json"
        form = {
            "receptor": national_mobile(message.to),
            "message": message.text,
            "sender": self.sender,
            "localid": str(kavenegar_localid(message.idempotency_key)),
        }
        return urllib.request.Request(  # noqa: S310 (base_url's scheme is checked to be http or https)
            url,
            data=urlencode(form).encode("utf-8"),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            },
            method="POST",
        )

    def _interpret(self, answer: HttpAnswer, message: SmsMessage) -> SendResult:
        data = json_or_none(answer.body)
        envelope = data.get("return") if isinstance(data, dict) else None
        status = int_or_none(envelope.get("status")) if isinstance(envelope, dict) else None
        if status is None:
            return self._malformed(answer, message, "no return.status")
        said = self._clean(str(envelope.get("message") or ""), message)
        if status != 200:
            return self._refused("Kavenegar return.status", status, KAVENEGAR_STATUSES, said, answer)

        entries = data.get("entries")
        entry = entries[0] if isinstance(entries, list) and entries else entries
        message_id = entry.get("messageid") if isinstance(entry, dict) else None
        if int_or_none(message_id) is None and not (isinstance(message_id, str) and message_id.isdigit()):
            return self._malformed(answer, message, "return.status 200 without a messageid")
        entry_status = int_or_none(entry.get("status"))
        # Only chosen fields are kept: the entry also echoes the text and the receptor.
        statustext = self._clean(str(entry.get("statustext") or ""), message)
        detail = f"Kavenegar return.status 200: {said}; messageid {message_id}, status {entry_status} {statustext}"
        if entry_status in KAVENEGAR_MESSAGE_FAILED:
            return SendResult.rejected(
                f"{detail} ({KAVENEGAR_MESSAGE_FAILED[entry_status]})", status_code=answer.status
            )
        if entry_status not in KAVENEGAR_MESSAGE_ACCEPTED:
            detail += " (unknown message status, taken as accepted)"
        return SendResult.success(str(message_id), detail=detail, status_code=answer.status)
