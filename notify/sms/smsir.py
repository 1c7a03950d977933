"""SMS.ir through its public REST API v1, method send/bulk.

Documentation followed
- https://sms.ir/developer-web-service/rest-api/ and https://apidocs.sms.ir (official): the key goes in the
  X-API-KEY header; HTTP 200 success, 400 logical error, 401 authentication error, 429 too many requests, 500
  unexpected error; every answer is {"status", "message", "data"} and status 1 means success.
- The same documentation's send/bulk section and its table of status codes (read in a copy of the page kept in a
  public repository, and matching the tables of several SDKs): POST https://api.sms.ir/v1/send/bulk with JSON
  {"lineNumber": Long, "messageText", "mobiles": [...], "sendDateTime": null}, answering
  {"status": 1, "message", "data": {"packId", "messageIds", "cost"}}; at most 100 mobiles.

Mobiles are sent in the national form 09xxxxxxxxx, as in the documentation's examples.

SMS.ir's send/bulk has no client-side id, so the gateway cannot deduplicate: this backend remembers what it has
sent (see GatewayBackend), but a retry after a timeout or a cut-off answer may send the message twice. Nothing
in the API lets a client find out whether an unanswered send went out (the reports know packId and messageId,
which the lost answer held). Prefer Kavenegar where a duplicate SMS matters.

Classification: see SMSIR_STATUSES; an unknown status is transient. Insufficient credit (102) is transient on
purpose: the messages should go out once the account is topped up. Could not confirm: what 118 ("too many
messages") limits (taken as permanent, a property of the request) and which HTTP status accompanies each body
status beyond the four documented ones (the body's status decides; an unreadable 401 is an authentication
failure, anything else unreadable is transient).
"""

import json
import urllib.request

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from notify.sms.base import SendResult, SmsMessage, national_mobile
from notify.sms.gateway import GatewayBackend, HttpAnswer, int_or_none, json_or_none

# status -> (permanent, what it means); 1 is success.
SMSIR_STATUSES: dict[int, tuple[bool, str]] = {
    0: (False, "the request failed at the gateway"),
    10: (True, "invalid API key"),
    11: (True, "API key disabled"),
    12: (True, "API key restricted to other IP addresses"),
    13: (True, "account disabled"),
    14: (True, "account suspended"),
    15: (True, "plan does not include the web service"),
    16: (True, "invalid parameter value"),
    20: (False, "too many requests"),
    101: (True, "invalid line number"),
    102: (False, "insufficient credit"),
    103: (True, "empty text"),
    104: (True, "invalid mobile number"),
    105: (True, "too many mobiles (100 at most)"),
    106: (True, "too many texts (100 at most)"),
    107: (True, "empty list of mobiles"),
    108: (True, "empty list of texts"),
    109: (True, "invalid send time"),
    110: (True, "numbers of mobiles and texts differ"),
    111: (True, "nothing was sent with this id"),
    112: (True, "no record to delete"),
    113: (True, "template not found"),
    114: (True, "parameter value longer than 25 characters"),
    115: (True, "mobile number in the blacklist"),
    116: (True, "template parameters not given"),
    117: (True, "text not approved"),
    118: (True, "too many messages"),
    119: (True, "plan does not include custom templates"),
    123: (True, "sender line needs activation"),
    124: (True, "only OTP messages are allowed now and the template is not an OTP one"),
}


class SmsIrBackend(GatewayBackend):
    verbose_name = _("SMS.ir")
    default_base_url = "https://api.sms.ir/v1"

    def __init__(self, **options) -> None:
        super().__init__(**options)
        if not (self.sender.isascii() and self.sender.isdigit()):
            raise ImproperlyConfigured("SmsIrBackend needs a numeric sender line number.")

    def _request(self, message: SmsMessage) -> urllib.request.Request:
        payload = {
            "lineNumber": int(self.sender),
            "messageText": message.text,
            "mobiles": [national_mobile(message.to)],
            "sendDateTime": None,
        }
        return urllib.request.Request(  # noqa: S310 (base_url's scheme is checked to be http or https)
            f"{self.base_url}/send/bulk",
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/json; charset=utf-8",
                "X-API-KEY": self._api_key,
            },
            method="POST",
        )

    def _interpret(self, answer: HttpAnswer, message: SmsMessage) -> SendResult:
        data = json_or_none(answer.body)
        status = int_or_none(data.get("status")) if isinstance(data, dict) else None
        if status is None:
            if answer.status == 401:
                return SendResult.rejected(
                    f"authentication failed (HTTP 401): {self._snippet(answer, message)}", status_code=401
                )
            return self._malformed(answer, message, "no status")
        said = self._clean(str(data.get("message") or ""), message)
        if status != 1:
            return self._refused("SMS.ir status", status, SMSIR_STATUSES, said, answer)

        sent = data.get("data")
        message_ids = sent.get("messageIds") if isinstance(sent, dict) else None
        pack_id = sent.get("packId") if isinstance(sent, dict) else None
        first_id = message_ids[0] if isinstance(message_ids, list) and message_ids else None
        if int_or_none(first_id) is None and not pack_id:
            return self._malformed(answer, message, "status 1 without messageIds or packId")
        gateway_id = str(first_id) if int_or_none(first_id) is not None else str(pack_id)
        cost = sent.get("cost")
        detail = f"SMS.ir status 1: {said}; packId {pack_id}, messageIds {message_ids}, cost {cost}"
        return SendResult.success(gateway_id, detail=self._clean(detail, message), status_code=answer.status)
