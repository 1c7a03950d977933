"""The staff's second factor: set up once with an authenticator app, then asked at every sign-in."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from persian.text import to_persian_digits

PASSWORD = "a-long-test-password"


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username, token=""):
    return client.post(reverse("desk:login"), {"username": username, "password": PASSWORD, "otp_token": token})


@pytest.fixture
def enrolled(clerk):
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("desk:security")).content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn, the secret URL is not in the text
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert client.get(reverse("desk:security")).context["key"].replace(" ", "") in device.config_url  # stable
    response = client.post(reverse("desk:security"), {"code": to_persian_digits(code_of(device))})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_wrong_code_while_setting_up_is_refused_beside_the_field(clerk):
    client = Client()
    client.force_login(clerk)
    client.get(reverse("desk:security"))
    response = client.post(reverse("desk:security"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_once_set_up_a_sign_in_without_the_code_is_refused(enrolled):
    client = Client()
    response = sign_in(client, "clerk-stats")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["token_required"]


def test_once_set_up_a_sign_in_with_the_code_reaches_the_inbox(enrolled):
    enrolled.last_t = -1  # the fixture used this time step's code already; a new step is not awaited here
    enrolled.save(update_fields=["last_t"])
    client = Client()
    response = sign_in(client, "clerk-stats", to_persian_digits(code_of(enrolled)))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("desk:inbox")
    assert client.get(reverse("desk:inbox")).status_code == 200


def test_a_wrong_code_at_sign_in_is_refused(enrolled):
    client = Client()
    response = sign_in(client, "clerk-stats", "123456" if code_of(enrolled) != "123456" else "654321")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_session_from_before_the_second_factor_is_asked_for_the_code(enrolled, clerk):
    old_session = Client()
    old_session.force_login(clerk)  # signed in with the password only
    response = old_session.get(reverse("desk:inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("desk:login"))
    page = old_session.get(response["Location"]).content.decode()
    assert 'name="otp_token"' in page and 'name="password"' not in page
    enrolled.last_t = -1
    enrolled.save(update_fields=["last_t"])
    given = old_session.post(response["Location"], {"otp_token": code_of(enrolled)})
    assert given.status_code == 302, given.context["form"].errors
    assert old_session.get(reverse("desk:inbox")).status_code == 200


def test_where_required_staff_without_a_second_factor_are_sent_to_set_one_up(clerk, settings):
    settings.MIZ_STAFF_REQUIRE_TOTP = True
    client = Client()
    assert sign_in(client, "clerk-stats").status_code == 302
    response = client.get(reverse("desk:inbox"))
    assert response.status_code == 302 and response["Location"] == reverse("desk:security")
    assert client.get(reverse("desk:security")).status_code == 200


def test_the_admin_signs_in_through_the_desk_and_asks_its_code_too(administrator):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("desk:login"))
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200  # no second factor: the password was enough
    device = TOTPDevice.objects.create(user=administrator, name="authenticator", confirmed=True)
    assert device.pk
    assert client.get("/admin/").status_code == 302  # this session never gave the code


def test_the_qr_code_names_the_organization_and_the_person(clerk):
    client = Client()
    client.force_login(clerk)
    client.get(reverse("desk:security"))
    url = TOTPDevice.objects.get(user=clerk).config_url
    assert re.match(r"otpauth://totp/.*clerk-stats\?secret=[A-Z2-7]+", url)
    assert "issuer=" in url


def test_a_huge_code_is_refused_beside_its_field_without_blaming_the_password(clerk):
    response = sign_in(Client(), "clerk-stats", "۱" * 5000)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors["otp_token"]
    assert "نام کاربری یا گذرواژه درست نیست" not in page  # the password was right
    assert response.context["form"]["username"].value() == "clerk-stats"  # nothing typed is lost
