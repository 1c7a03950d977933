"""“My cases by mobile”: a one-time code sent by SMS proves that a citizen holds a number, then lists its cases.

The code is the only thing that stands between a stranger and every case sent with a number, so: it is random
(secrets), short-lived (MIZ_OTP_SECONDS), stored only as an HMAC, dies after MIZ_OTP_MAX_TRIES wrong tries, works
once, and only the latest code of a number is valid. How many codes are sent is limited per number and per client
address, which also keeps the SMS bill and the gateway's patience within bounds.

Nothing here reveals whether a number has sent cases: a code is sent to any valid number, and a number without
cases simply sees an empty list. Nothing here logs a number or a code.
"""

import datetime
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from cases import throttle
from cases.models import Case, OneTimeCode
from notify.outbox import Outgoing, queue
from persian.text import to_latin_digits, to_persian_digits
from persian.validators import normalize_mobile

CODE_LENGTH = 6


@dataclass(frozen=True)
class RequestResult:
    """What became of a request for a code: sent (into the outbox), or refused by a rate limit.

    The view says the same to every refusal, whichever limit it was, so that it hints at nothing.
    """

    sent: bool
    expires_at: datetime.datetime | None = None


def _new_code() -> str:
    """Six digits from the operating system's CSPRNG; leading zeros are allowed, so all 10^6 codes can occur."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_hash(mobile: str, code: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY, so a leaked table or backup cannot be turned back into live codes.

    The number is part of the message: equal codes sent to two numbers do not show up as equal hashes.
    """
    message = f"miz.one-time-code:{mobile}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_minutes() -> int:
    """A code's lifetime in whole minutes, rounded up, as the SMS and the page state it."""
    return max(1, math.ceil(settings.MIZ_OTP_SECONDS / 60))


def _within_limits(mobile: str, client_ip: str) -> bool:
    """Counts this request against the client address, then against the number.

    The address is counted first: a client over its own limit does not use up the allowance of the numbers it
    tries, so one abusive address cannot lock a stranger out for the whole window.
    """
    window = settings.MIZ_OTP_WINDOW_SECONDS
    if not throttle.allow("otp-ip", client_ip, settings.MIZ_OTP_LIMIT_PER_IP, window):
        return False
    return throttle.allow("otp-mobile", mobile, settings.MIZ_OTP_LIMIT_PER_MOBILE, window)


def request_code(mobile: str, client_ip: str, *, now: datetime.datetime | None = None) -> RequestResult:
    """Create a one-time code for the number and queue its SMS in the same transaction, unless a limit refuses.

    Sent whether or not any case was sent with this number: answering differently would tell anyone who types a
    number whether its owner has written to the organization. A number without cases sees an empty list.

    The SMS goes through the outbox (never the network inside the request), with the code's own expiry so that a
    delayed message is dropped rather than delivered useless; its key names the code's row, not the number.
    """
    mobile = normalize_mobile(mobile)
    if not _within_limits(mobile, client_ip):
        return RequestResult(sent=False)
    now = now or timezone.now()
    code = _new_code()
    with transaction.atomic():
        otp = OneTimeCode.objects.create(
            mobile=mobile,
            code_hash=code_hash(mobile, code),
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=settings.MIZ_OTP_SECONDS),
        )
        queue(
            [
                Outgoing(
                    "one_time_code",
                    "sms",
                    mobile,
                    f"otp:{otp.pk}",
                    {"otp": code, "minutes": to_persian_digits(code_minutes())},
                    expires_at=otp.expires_at,
                )
            ]
        )
    return RequestResult(sent=True, expires_at=otp.expires_at)


def _clean_code(code: str) -> str:
    """Digits in any script, spaces ignored; anything else is kept and so cannot match."""
    return "".join(to_latin_digits(str(code)).split())


def verify_code(mobile: str, code: str, *, now: datetime.datetime | None = None) -> bool:
    """True once for the right code of the number's latest code, while it lives; False for every other case.

    Only the latest code counts, so asking for a new one retires the old. The row is locked while it is checked
    (select_for_update; on SQLite the write transaction does the same), so two tries at once cannot both use one
    code nor both slip under the limit of wrong tries. A wrong try is counted; at MIZ_OTP_MAX_TRIES the code is
    dead, even for its right value, which bounds guessing to a few tries per code sent. The hashes are compared
    in constant time.
    """
    mobile = normalize_mobile(mobile)
    now = now or timezone.now()
    with transaction.atomic():
        otp = OneTimeCode.objects.select_for_update().filter(mobile=mobile).order_by("-created_at", "-pk").first()
        if (
            otp is None
            or otp.used_at is not None
            or now >= otp.expires_at
            or otp.failed_tries >= settings.MIZ_OTP_MAX_TRIES
        ):
            return False
        if not constant_time_compare(otp.code_hash, code_hash(mobile, _clean_code(code))):
            OneTimeCode.objects.filter(pk=otp.pk).update(failed_tries=F("failed_tries") + 1)
            return False
        OneTimeCode.objects.filter(pk=otp.pk).update(used_at=now)
        return True


def cases_of(mobile: str):
    """Every case sent with this number, newest first, with only what the list shows."""
    return (
        Case.objects.filter(submitter_mobile=normalize_mobile(mobile))
        .only("public_id", "tracking_code", "kind", "status", "subject", "created_at")
        .order_by("-created_at", "-pk")
    )


def case_of(mobile: str, public_id) -> Case | None:
    """The case with this public id if it was sent with this number; None otherwise, whatever the reason."""
    return cases_of(mobile).filter(public_id=public_id).first()


def forget_old_codes(now: datetime.datetime | None = None) -> int:
    """Codes expired more than a day ago serve nothing (the latest code decides) and name a number: deleted."""
    now = now or timezone.now()
    deleted, _ = OneTimeCode.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted
