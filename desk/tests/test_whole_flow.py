"""A citizen sends, a clerk answers, the citizen reads and rates: all through the site, as people use it."""

import re

from django.test import Client
from django.urls import reverse

from cases.models import Case, Status
from directory.models import Topic
from persian.text import to_persian_digits


def test_citizen_to_staff_to_citizen(organization, clerk):
    citizen = Client()
    page = citizen.get(reverse("cases:submit"))
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    topic = Topic.objects.get(label="درخواست آمار و اطلاعات")
    response = citizen.post(
        reverse("cases:submit"),
        {
            "form_token": token,
            "kind": "request",
            "topic": topic.pk,
            "subject": "آمار اشتغال",
            "body": "آمار اشتغال شهرستان ارومیه را می‌خواهم.",
            "mobile": "+98 914 123 4567",
            "submitter_type": "expert",
        },
        follow=True,
    )
    case = Case.objects.get()
    code = case.tracking_code
    assert to_persian_digits(case.display_code) in response.content.decode()

    staff = Client()
    staff.post(reverse("desk:login"), {"username": "clerk-stats", "password": "a-long-test-password"})
    inbox = staff.get(reverse("desk:inbox")).content.decode()
    assert "آمار اشتغال" in inbox
    staff.post(reverse("desk:note", args=[case.pk]), {"text": "داده‌ها از سالنامه استخراج شود."})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    staff.post(reverse("desk:answer", args=[case.pk]), {"text": "جدول اشتغال پیوست شد."})
    case.refresh_from_db()
    assert case.status == Status.ANSWERED

    reader = Client()
    case_url = reader.post(reverse("cases:track"), {"code": code, "secret": "09141234567"})["Location"]
    html = reader.get(case_url).content.decode()
    assert "جدول اشتغال پیوست شد." in html
    assert "داده‌ها از سالنامه استخراج شود." not in html  # internal notes stay inside
    assert 'name="rating"' in html

    reader.post(reverse("cases:rating", args=[case.public_id]), {"rating": "5", "comment": "عالی"})
    case.refresh_from_db()
    assert case.satisfaction == 5
    assert 'name="rating"' not in reader.get(case_url).content.decode()

    reader.post(reverse("cases:message", args=[case.public_id]), {"text": "یک سؤال دیگر هم دارم."})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert "یک سؤال دیگر هم دارم." in staff.get(reverse("desk:case", args=[case.pk])).content.decode()


def test_triage_routes_an_unrouted_case_by_hand(organization, triage_operator, clerk):
    from cases.tests.factories import submit

    case = submit(subject="سلام", body="؟").case
    assert case.unit.code == "triage"
    operator = Client()
    operator.force_login(triage_operator)
    assert case.subject in operator.get(reverse("desk:triage")).content.decode()
    response = operator.post(
        reverse("desk:route", args=[case.pk]), {"unit": organization["stats"].pk, "reason": "آماری است"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.unit.code == "stats"
    assert case.status == Status.ROUTED
    assert case.routing_method == "manual"
    # After the referral the operator's unit no longer holds it, and the clerk of statistics does.
    assert operator.get(reverse("desk:case", args=[case.pk])).status_code == 404
    clerk_client = Client()
    clerk_client.force_login(clerk)
    assert clerk_client.get(reverse("desk:case", args=[case.pk])).status_code == 200
