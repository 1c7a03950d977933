"""The staff's second factor: a TOTP authenticator app (django-otp), set up by each person on their own page.

A person with a confirmed device gives its six-digit code at every sign-in (desk and admin). Where
MIZ_STAFF_REQUIRE_TOTP is on (the production default), a person without one is sent to set it up before
reaching any case.
"""

import io

import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def must_set_up(user) -> bool:
    return settings.MIZ_STAFF_REQUIRE_TOTP and not has_second_factor(user)


@transaction.atomic
def pending_device(user) -> TOTPDevice:
    """The device being set up: the same key until it is confirmed, so a reload does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm(user, token: str) -> TOTPDevice | None:
    """The pending device, confirmed, if the code is what the app shows now; None otherwise."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no external image: the CSP allows it)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", xmldecl=False, scale=5, border=2, svgns=True)
    return out.getvalue().decode("utf-8")


def grouped_key(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
