"""Which change tells whom what: the citizen through the channel they chose, staff by e-mail."""

import datetime
import re

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.tests.factories import submit
from notify.models import Message
from notify.sms import segments

pytestmark = pytest.mark.django_db

MOBILE = "+989141234567"
EMAIL = "citizen@example.com"


def sent(case=None, **filters):
    found = Message.objects.filter(**filters)
    if case is not None:
        found = found.filter(case=case)
    return sorted(found.values_list("template", "channel", "recipient"))


@pytest.fixture
def staff_with_email(clerk, unit_head, organization):
    clerk.email, unit_head.email = "clerk@example.com", "head@example.com"
    clerk.save(update_fields=["email"])
    unit_head.save(update_fields=["email"])
    return clerk


@pytest.mark.parametrize(
    ("notify_by", "expected"),
    [
        ("sms", [("case_received", "sms", MOBILE)]),
        ("email", [("case_received", "email", EMAIL)]),
        ("both", [("case_received", "email", EMAIL), ("case_received", "sms", MOBILE)]),
        ("none", []),
    ],
)
def test_the_citizen_hears_through_the_channel_they_chose(organization, notify_by, expected):
    case = submit(mobile=MOBILE, email=EMAIL, notify_by=notify_by, unit=organization["stats"]).case
    assert sent(case, template="case_received") == expected


def test_an_anonymous_citizen_gets_no_message(organization):
    case = submit(anonymous=True, unit=organization["stats"]).case
    assert case.notify_by == "none"
    assert not Message.objects.filter(case=case, user=None).exists()


def test_the_received_sms_has_the_code_and_due_date_and_nothing_personal(organization):
    case = submit(
        mobile=MOBILE, name="زهرا احمدی", subject="موضوع خصوصی", body="متن خصوصی", unit=organization["stats"]
    ).case
    sms = Message.objects.get(case=case, channel="sms")
    assert case.display_code in sms.text
    assert "زهرا" not in sms.text and "خصوصی" not in sms.text
    assert sms.text.endswith("\nمیز خدمت سازمان مدیریت و برنامه‌ریزی آ.غ")  # who is sending
    encoding, parts = segments(sms.text)
    assert encoding == "UCS-2" and parts <= 3


def test_staff_of_the_unit_hear_of_a_new_case_by_e_mail(staff_with_email, other_clerk, organization):
    other_clerk.email = "other@example.com"
    other_clerk.save(update_fields=["email"])
    case = submit(unit=organization["stats"]).case
    assert sent(case, template="new_case") == [("new_case", "email", "clerk@example.com")]


def test_a_case_routed_by_hand_tells_the_citizen_and_the_new_unit(organization, staff_with_email, triage_operator):
    case = submit(mobile=MOBILE, subject="چیزی", body="نمی‌دانم کجا").case
    Case.objects.filter(pk=case.pk).update(unit=organization["triage"], status="submitted")
    services.route_case(Case.objects.get(pk=case.pk), triage_operator, organization["stats"])
    assert sent(case, template="case_routed") == [("case_routed", "sms", MOBILE)]
    assert ("new_case", "email", "clerk@example.com") in sent(case)


def test_assignment_tells_the_assignee_but_not_someone_who_took_it_themselves(staff_with_email, organization):
    case = submit(unit=organization["stats"]).case
    services.assign_case(case, staff_with_email, staff_with_email)
    assert sent(case, template="case_assigned") == []


def test_a_head_assigning_a_case_tells_the_assignee(organization, staff_with_email):
    from conftest import make_staff

    head = make_staff("head-stats", organization["stats"], "head")
    case = submit(unit=organization["stats"]).case
    services.assign_case(case, head, staff_with_email)
    assert sent(case, template="case_assigned") == [("case_assigned", "email", "clerk@example.com")]


def test_the_answer_message_links_to_the_lookup_with_the_code_filled_in(organization, staff_with_email, client):
    case = submit(mobile=MOBILE, email=EMAIL, notify_by="both", unit=organization["stats"]).case
    services.answer_case(case, staff_with_email, "پاسخ")
    sms = Message.objects.get(case=case, template="case_answered", channel="sms")
    link = re.search(r"https://miz\.example(\S+)", sms.text).group(1)
    assert link == f"/track/?code={case.tracking_code}"
    page = client.get(link).content.decode()
    assert f'value="{case.tracking_code}"' in page
    assert 'name="secret"' in page  # the second factor is still asked
    email = Message.objects.get(case=case, template="case_answered", channel="email")
    assert f"/track/?code={case.tracking_code}" in email.html


def test_asking_the_citizen_tells_them(organization, staff_with_email):
    case = submit(mobile=MOBILE, unit=organization["stats"]).case
    services.request_information(case, staff_with_email, "شماره پرونده؟")
    assert sent(case, template="info_requested") == [("info_requested", "sms", MOBILE)]
    assert "شماره پرونده" not in Message.objects.get(template="info_requested").text


def test_a_citizen_reply_tells_the_assignee_or_else_the_heads(organization, staff_with_email):
    from conftest import make_staff

    head = make_staff("head-stats", organization["stats"], "head")
    head.email = "stats-head@example.com"
    head.save(update_fields=["email"])
    case = submit(unit=organization["stats"]).case
    services.add_citizen_message(case, "یک نکته")
    assert sent(case, template="citizen_replied") == [("citizen_replied", "email", "stats-head@example.com")]
    services.assign_case(case, head, staff_with_email)
    services.add_citizen_message(case, "نکته دوم")
    assert ("citizen_replied", "email", "clerk@example.com") in sent(case, template="citizen_replied")


def test_an_overdue_case_tells_the_heads_it_escalates_to(organization):
    from conftest import make_staff

    head = make_staff("head-stats", organization["stats"], "head")
    head.email = "stats-head@example.com"
    head.save(update_fields=["email"])
    case = submit(unit=organization["stats"]).case
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert services.escalate_overdue_cases() == 1
    assert sent(case, template="case_escalated") == [("case_escalated", "email", "stats-head@example.com")]


def test_an_objection_tells_the_head_that_the_citizen_wrote_not_that_the_case_is_overdue(organization):
    from conftest import make_staff

    head = make_staff("head-stats", organization["stats"], "head")
    head.email = "stats-head@example.com"
    head.save(update_fields=["email"])
    case = submit(unit=organization["stats"]).case
    services.answer_case(case, head, "پاسخ")
    services.object_to_answer(case, "قانع نشدم")
    assert sent(case, user=head, template__in=["citizen_replied", "case_escalated"]) == [
        ("citizen_replied", "email", "stats-head@example.com")
    ]


def test_staff_without_an_e_mail_address_are_skipped(organization, clerk):
    case = submit(unit=organization["stats"]).case
    assert not Message.objects.filter(case=case, user__isnull=False).exists()


def test_the_outbox_adds_a_fixed_number_of_queries_to_a_submission(organization, django_assert_max_num_queries):
    from conftest import make_staff

    for number in range(5):
        user = make_staff(f"stats-{number}", organization["stats"])
        user.email = f"stats{number}@example.com"
        user.save(update_fields=["email"])
    submit(unit=organization["stats"])  # warm the routing engine
    with django_assert_max_num_queries(25) as captured:
        submit(mobile=MOBILE, email=EMAIL, notify_by="both", unit=organization["stats"])
    outbox = [q["sql"] for q in captured.captured_queries if '"notify_message"' in q["sql"]]
    # One insert of all seven messages (the citizen's SMS and e-mail, five staff e-mails), one read back.
    assert [sql.split()[0] for sql in outbox] == ["INSERT", "SELECT"]


def test_the_staff_case_page_says_what_the_citizen_was_sent_and_whether_it_went(
    organization, staff_with_email, signed_in, sms_file
):
    from notify import outbox

    case = submit(mobile=MOBILE, unit=organization["stats"]).case
    outbox.deliver_due()
    page = signed_in(staff_with_email).get(f"/desk/cases/{case.pk}/").content.decode()
    listed = page.split('class="sent-list')[1].split("</ul>")[0]
    assert listed.count("<li>") == 1  # the clerk's own new-case e-mail is not the citizen's
    assert "دریافت پرونده" in listed and "پیامک" in listed and "ارسال شده" in listed  # received, SMS, sent


@pytest.mark.parametrize(("notify_by", "says_sms", "says_email"), [("both", True, True), ("sms", True, False),
                                                                   ("email", False, True), ("none", False, False)])  # fmt: skip
def test_the_confirmation_page_says_how_the_citizen_will_hear(organization, client, notify_by, says_sms, says_email):
    import uuid

    response = client.post(
        "/submit/",
        {"form_token": str(uuid.uuid4()), "unit": "stats", "kind": "request", "subject": "آمار",
         "body": "آمار جمعیت", "mobile": "09141234567", "email": EMAIL, "notify_by": notify_by},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert ("با پیامک به" in page) is says_sms  # by SMS to …
    assert ("۰۹۱۴ ۱۲۳ ۴۵۶۷" in page) is says_sms
    assert ("با پست الکترونیک برایتان" in page) is says_email
