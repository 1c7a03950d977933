"""Whatever a person (or a robot) types, the answer is a page with a message, never a server error."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from cases.tests.factories import submit

anything = st.text(max_size=300)
SUBMISSION_FIELDS = ["kind", "topic", "subject", "body", "name", "mobile", "email", "national_id", "submitter_type"]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: anything for name in SUBMISSION_FIELDS}), anonymous=st.booleans())
def test_any_text_in_any_submission_field_never_raises(organization, values, anonymous):
    data = {**values, "form_token": str(uuid.uuid4())}
    if anonymous:
        data["is_anonymous"] = "on"
    response = Client().post(reverse("cases:submit"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        case = Case.objects.latest("pk")
        assert "\u0640" not in case.subject  # normalized before it reached the database
        assert "ي" not in case.body and "ك" not in case.body


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=anything, secret=anything)
def test_any_text_in_the_lookup_never_raises(organization, code, secret):
    cache.clear()
    response = Client().post(reverse("cases:track"), {"code": code, "secret": secret})
    assert response.status_code in (200, 302, 429)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=anything, rating=anything)
def test_any_text_in_a_message_or_rating_never_raises(organization, text, rating):
    cache.clear()
    case = submit().case
    client = Client()
    client.post(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"})
    assert client.post(reverse("cases:message", args=[case.public_id]), {"text": text}).status_code in (302, 400)
    assert client.post(reverse("cases:rating", args=[case.public_id]), {"rating": rating}).status_code in (302, 400)


def test_a_form_posted_without_its_csrf_token_is_refused(organization):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("cases:submit"), {"kind": "request"}).status_code == 403
    assert client.post(reverse("cases:track"), {"code": "1", "secret": "1"}).status_code == 403


def test_security_headers_are_sent(client, organization):
    response = client.get(reverse("cases:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
