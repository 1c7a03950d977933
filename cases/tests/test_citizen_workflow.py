"""The citizen's side of the workflow, through the pages: replying when asked, accepting, objecting, merges."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, Status
from cases.tests.factories import submit
from directory.models import StaffMembership

STATS_TOPIC = "درخواست آمار و اطلاعات"


@pytest.fixture
def citizen():
    return Client()


def open_case(client, case, mobile="09141234567"):
    client.post(reverse("cases:track"), {"code": case.tracking_code, "secret": mobile})
    return client.get(reverse("cases:case", args=[case.public_id])).content.decode()


def test_a_question_from_the_unit_is_shown_and_the_reply_resumes_the_case(organization, clerk, citizen):
    case = submit(topic_label=STATS_TOPIC).case
    services.request_information(case, clerk, "لطفاً سال مورد نظر را بنویسید.")
    page = open_case(citizen, case)
    assert "لطفاً سال مورد نظر را بنویسید." in page
    assert "تا پاسخ شما متوقف است" in page
    citizen.post(reverse("cases:message", args=[case.public_id]), {"text": "سال ۱۴۰۳"})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.has_unread_reply


def test_the_objection_path_from_the_page(organization, clerk, citizen, new_staff):
    head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    case = submit(topic_label=STATS_TOPIC).case
    services.answer_case(case, clerk, "پاسخ کوتاه")
    page = open_case(citizen, case)
    assert "پاسخ را می‌پذیرم" in page
    empty = citizen.post(reverse("cases:objection", args=[case.public_id]), {"text": "   "})
    assert empty.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED
    citizen.post(reverse("cases:objection", args=[case.public_id]), {"text": "پاسخ به پرسش من نیست"})
    case.refresh_from_db()
    assert (case.status, case.assignee, case.escalation_level) == (Status.IN_PROGRESS, head, 1)
    assert "پاسخ را می‌پذیرم" not in open_case(citizen, case)
    # The head answers again; a second objection is not offered.
    services.answer_case(case, head, "پاسخ کامل")
    assert reverse("cases:objection", args=[case.public_id]) not in open_case(citizen, case)
    assert citizen.post(reverse("cases:objection", args=[case.public_id]), {"text": "باز هم"}).status_code == 302
    assert Case.objects.get(pk=case.pk).events.filter(type=CaseEvent.Type.OBJECTED).count() == 1


def test_accepting_from_the_page_closes_the_case(organization, clerk, citizen):
    case = submit(topic_label=STATS_TOPIC).case
    services.answer_case(case, clerk, "پاسخ")
    open_case(citizen, case)
    citizen.post(reverse("cases:accept", args=[case.public_id]))
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_another_browser_cannot_accept_or_object(organization, clerk):
    case = submit(topic_label=STATS_TOPIC).case
    services.answer_case(case, clerk, "پاسخ")
    stranger = Client()
    assert stranger.post(reverse("cases:accept", args=[case.public_id])).status_code == 404
    assert stranger.post(reverse("cases:objection", args=[case.public_id]), {"text": "x"}).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED


def test_a_merged_case_shows_where_it_went_and_the_answer_given_there(organization, clerk, citizen):
    target = submit(topic_label=STATS_TOPIC).case
    duplicate = submit(topic_label=STATS_TOPIC, mobile="+989121111111").case
    services.merge_case(duplicate, clerk, target)
    services.answer_case(target, clerk, "پاسخ مشترک هر دو پرونده")
    page = open_case(citizen, duplicate, mobile="09121111111")
    assert target.display_code.replace(" ", "") in page.replace(" ", "").translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
    assert "پاسخ مشترک هر دو پرونده" in page
    assert "افزودن پیام" not in page  # a merged case takes no more messages
