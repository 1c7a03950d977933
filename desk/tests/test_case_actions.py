import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseEvent, Status
from cases.tests.factories import submit


@pytest.fixture
def staff(clerk, signed_in):
    return signed_in(clerk)


@pytest.fixture
def case(organization):
    return submit(topic_label="درخواست آمار و اطلاعات").case


def test_an_empty_answer_is_refused_with_a_message_and_changes_nothing(staff, case):
    response = staff.post(reverse("desk:answer", args=[case.pk]), {"text": "   "})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ROUTED
    assert not case.events.filter(type=CaseEvent.Type.ANSWER).exists()


def test_an_answer_keeps_the_typed_text_when_another_field_is_wrong(staff, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.exe", b"MZ not allowed")
    response = staff.post(reverse("desk:answer", args=[case.pk]), {"text": "پاسخ کامل", "attachments": [bad]})
    assert response.status_code == 400
    assert "پاسخ کامل" in response.content.decode()


def test_an_answer_records_actor_and_status_change(staff, clerk, case):
    staff.post(reverse("desk:answer", args=[case.pk]), {"text": "پاسخ"})
    event = case.events.get(type=CaseEvent.Type.ANSWER)
    assert event.actor == clerk
    assert event.is_public
    assert (event.from_status, event.to_status) == (Status.ROUTED, Status.ANSWERED)


def test_closing_is_allowed_only_after_an_answer(staff, case):
    response = staff.post(reverse("desk:close", args=[case.pk]), {"reason": ""})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.ROUTED
    staff.post(reverse("desk:answer", args=[case.pk]), {"text": "پاسخ"})
    staff.post(reverse("desk:close", args=[case.pk]), {"reason": "پایان"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closed_at is not None


def test_a_closed_case_takes_no_citizen_message(staff, case):
    staff.post(reverse("desk:answer", args=[case.pk]), {"text": "پاسخ"})
    staff.post(reverse("desk:close", args=[case.pk]), {"reason": ""})
    citizen = Client()
    citizen.post(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"})
    page = citizen.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert 'action="' + reverse("cases:message", args=[case.public_id]) not in page
    response = citizen.post(reverse("cases:message", args=[case.public_id]), {"text": "هنوز هستم"}, follow=True)
    assert not case.events.filter(type=CaseEvent.Type.CITIZEN_MESSAGE).exists()
    assert response.status_code == 200


def test_the_inbox_filters_by_status_and_kind(staff, organization):
    submit(topic_label="درخواست آمار و اطلاعات", kind="complaint", subject="شکایت آماری")
    submit(topic_label="درخواست آمار و اطلاعات", kind="request", subject="درخواست آماری")
    html = staff.get(reverse("desk:inbox"), {"kind": "complaint"}).content.decode()
    assert "شکایت آماری" in html and "درخواست آماری" not in html
    html = staff.get(reverse("desk:inbox"), {"status": "closed"}).content.decode()
    assert "شکایت آماری" not in html
    assert staff.get(reverse("desk:inbox"), {"status": "<script>"}).status_code == 200


def test_the_inbox_is_newest_first_and_paginated(staff, organization):
    for number in range(30):
        submit(topic_label="درخواست آمار و اطلاعات", subject=f"مورد-{number:02d}")
    first = staff.get(reverse("desk:inbox")).content.decode()
    assert first.index("مورد-29") < first.index("مورد-28")
    assert "مورد-00" not in first
    cursor = re.search(r"after=([\w-]+)", first).group(1)
    second = staff.get(reverse("desk:inbox"), {"after": cursor}).content.decode()
    assert "مورد-00" in second
    assert "مورد-29" not in second
    assert staff.get(reverse("desk:inbox"), {"after": "abc"}).status_code == 200
