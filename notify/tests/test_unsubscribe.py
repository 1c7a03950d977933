"""One-click unsubscribe: from the link in the e-mail or the mail program's button, without signing in."""

import re

import pytest
from django.test import Client

from cases.tests.factories import submit
from notify import outbox
from notify.models import Message, Unsubscription

pytestmark = pytest.mark.django_db

EMAIL = "Citizen@Example.com"


@pytest.fixture
def link(organization):
    submit(email=EMAIL, notify_by="email", unit=organization["stats"])
    message = Message.objects.get(channel="email")
    url = re.search(r"https://miz\.example(/notifications/unsubscribe/\S+/)", message.text).group(1)
    assert url in message.html
    return url


def test_opening_the_link_asks_first_and_changes_nothing(link, client):
    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "C******@Example.com" in body and EMAIL not in body
    assert 'method="post"' in body
    assert not Unsubscription.objects.exists()


def test_one_click_unsubscribes_without_signing_in_or_a_csrf_token(link):
    client = Client(enforce_csrf_checks=True)
    response = client.post(link)
    assert response.status_code == 200
    assert Unsubscription.objects.filter(address="citizen@example.com").exists()
    assert client.post(link).status_code == 200  # a second click is harmless


def test_a_mail_programs_rfc_8058_post_unsubscribes(link):
    response = Client(enforce_csrf_checks=True).post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Unsubscription.objects.count() == 1


def test_after_unsubscribing_no_e_mail_goes_to_that_address_but_sms_still_does(link, organization, client, sms_file):
    client.post(link)
    assert Message.objects.get(channel="email").status == "skipped"  # the pending one too
    submit(email=EMAIL.lower(), mobile="+989141234567", notify_by="both", unit=organization["stats"])
    outbox.deliver_due()
    later = Message.objects.filter(channel="email").order_by("-pk").first()
    assert later.status == "skipped" and later.last_error == "the address unsubscribed"
    assert len(sms_file.records()) == 1


@pytest.mark.parametrize("token", ["event1:email", "event1:email:forged", "nothing"])
def test_an_altered_link_is_refused_and_changes_nothing(link, client, token):
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 404
    assert not Unsubscription.objects.exists()


def test_an_sms_message_cannot_be_used_to_unsubscribe(organization, client):
    from notify.outbox import unsubscribe_token

    submit(mobile="+989141234567", unit=organization["stats"])
    sms = Message.objects.get(channel="sms")
    assert client.post(f"/notifications/unsubscribe/{unsubscribe_token(str(sms.delivery_id))}/").status_code == 404
