"""The desk's action forms through the pages, saved replies, deadlines set in the admin, the periodic tasks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, Status
from cases.tests.factories import submit
from desk.models import KindDeadline, SavedReply
from desk.workdays import add_working_days

STATS_TOPIC = "درخواست آمار و اطلاعات"


@pytest.fixture
def stats_case(organization):
    return submit(topic_label=STATS_TOPIC, name="مریم احمدی").case


def test_referring_from_the_page_needs_a_reason_and_keeps_what_was_typed(stats_case, clerk, organization, signed_in):
    client = signed_in(clerk)
    url = reverse("desk:refer", args=[stats_case.pk])
    response = client.post(url, {"unit": organization["planning"].pk, "reason": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"unit": organization["planning"].pk, "reason": "آمایش"})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:inbox")  # the case is no longer this unit's to open
    assert Case.objects.get(pk=stats_case.pk).unit == organization["planning"]


def test_merging_by_a_mistyped_code_says_so_beside_the_field(stats_case, clerk, signed_in):
    client = signed_in(clerk)
    response = client.post(reverse("desk:merge", args=[stats_case.pk]), {"target": "۱۲۳۴۵ ۶۷۸۹۱"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "این کد رهگیری معتبر نیست." in page
    assert "۱۲۳۴۵ ۶۷۸۹۱" in page
    other = submit(topic_label=STATS_TOPIC).case
    typed = other.display_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.post(reverse("desk:merge", args=[stats_case.pk]), {"target": typed}).status_code == 302
    assert Case.objects.get(pk=stats_case.pk).merged_into == other


def test_asking_the_citizen_from_the_page_pauses_the_case(stats_case, clerk, signed_in):
    response = signed_in(clerk).post(reverse("desk:ask", args=[stats_case.pk]), {"question": "کدام سال؟"})
    assert response.status_code == 302
    assert Case.objects.get(pk=stats_case.pk).status == Status.WAITING_CITIZEN


def test_a_saved_reply_fills_the_answer_with_the_cases_details(stats_case, clerk, signed_in, organization):
    reply = SavedReply.objects.create(
        unit=stats_case.unit, title="دریافت شد", text="{name} گرامی، پرونده {code} در {unit} است. {unknown}"
    )
    page = signed_in(clerk).get(reverse("desk:case", args=[stats_case.pk]), {"reply": reply.pk}).content.decode()
    code = stats_case.display_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"مریم احمدی گرامی، پرونده {code} در {stats_case.unit.name} است. {{unknown}}" in page
    # Another unit's reply is not offered, even by its id.
    foreign = SavedReply.objects.create(unit=organization["legal"], title="x", text="متن واحد دیگر")
    page = signed_in(clerk).get(reverse("desk:case", args=[stats_case.pk]), {"reply": foreign.pk}).content.decode()
    assert "متن واحد دیگر" not in page


def test_a_deadline_set_in_the_admin_applies_to_new_cases(organization, settings):
    KindDeadline.objects.create(kind="complaint", working_days=3)
    case = submit(topic_label=STATS_TOPIC, kind="complaint").case
    assert case.due_date == add_working_days(timezone.localdate(case.created_at), 3)
    request = submit(topic_label=STATS_TOPIC, kind="request").case
    expected = add_working_days(timezone.localdate(request.created_at), settings.MIZ_DEADLINE_WORKING_DAYS["request"])
    assert request.due_date == expected


def test_the_desk_periodic_tasks_are_scheduled_and_run(stats_case, settings):
    from desk.tasks import close_untouched_answers, escalate_overdue_cases

    assert {"desk.tasks.escalate_overdue_cases", "desk.tasks.close_untouched_answers"} <= set(
        settings.MIZ_PERIODIC_TASKS
    )
    Case.objects.filter(pk=stats_case.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert escalate_overdue_cases.call() == 1
    assert close_untouched_answers.call() == 0
    assert stats_case.events.filter(type=CaseEvent.Type.ESCALATED).count() == 1


def test_an_escalated_overdue_case_is_flagged_in_the_inbox(stats_case, clerk, signed_in):
    Case.objects.filter(pk=stats_case.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    services.escalate_overdue_cases()
    page = signed_in(clerk).get(reverse("desk:inbox"), {"tab": "overdue"}).content.decode()
    assert stats_case.subject in page
    assert "ارجاع به مقام بالاتر" in page or "badge--overdue" in page


def test_a_refused_button_action_says_why_on_the_case_page(organization, clerk, signed_in, new_staff):
    from directory.models import StaffMembership

    head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    case = submit(topic_label=STATS_TOPIC).case  # no draft: nothing to approve
    response = signed_in(head).post(reverse("desk:approve", args=[case.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="notice notice--error"' in page
    assert "پاسخ تأیید و برای شهروند فرستاده شد" not in page
    assert Case.objects.get(pk=case.pk).status == Status.ROUTED
