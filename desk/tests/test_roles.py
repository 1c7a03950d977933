"""Every role boundary of the desk, through the pages: who may see, download, search and do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, Status
from cases.tests.factories import submit
from cases.uploads import check_upload
from directory.models import StaffMembership

PDF = b"%PDF-1.4\n%%EOF\n"
STATS_TOPIC = "درخواست آمار و اطلاعات"
ACTIONS = ("note", "answer", "close", "refer", "assign", "take", "ask", "approve", "return", "merge")


@pytest.fixture
def stats_case(organization):
    upload = SimpleUploadedFile("report.pdf", PDF)
    return submit(topic_label=STATS_TOPIC, subject="سالنامه ویژه", files=[check_upload(upload)]).case


def post_every_action(client, case):
    return {name: client.post(reverse(f"desk:{name}", args=[case.pk]), {"text": "x"}).status_code for name in ACTIONS}


def test_after_a_referral_the_old_unit_keeps_only_the_record(stats_case, clerk, organization, signed_in):
    services.refer_case(stats_case, clerk, organization["planning"], "مربوط به آمایش")
    client = signed_in(clerk)
    attachment = stats_case.attachments.get()
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 404
    assert client.get(reverse("desk:attachment", args=[stats_case.pk, attachment.pk])).status_code == 404
    assert "سالنامه ویژه" not in client.get(reverse("desk:inbox"), {"text": "سالنامه"}).content.decode()
    assert set(post_every_action(client, stats_case).values()) == {404}
    referred = client.get(reverse("desk:referred")).content.decode()
    assert "مربوط به آمایش" in referred
    assert "سالنامه ویژه" not in referred  # the record, not the case


def test_the_new_unit_sees_and_acts_after_a_referral(stats_case, clerk, organization, signed_in, new_staff):
    planner = new_staff("clerk-planning", organization["planning"])
    services.refer_case(stats_case, clerk, organization["planning"], "مربوط به آمایش")
    client = signed_in(planner)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 200
    assert "سالنامه ویژه" in client.get(reverse("desk:inbox"), {"text": "سالنامه"}).content.decode()


def test_staff_of_another_unit_can_do_nothing_to_a_case(stats_case, other_clerk, signed_in):
    assert set(post_every_action(signed_in(other_clerk), stats_case).values()) == {404}
    assert Case.objects.get(pk=stats_case.pk).status == Status.ROUTED


def test_a_manager_reads_but_every_action_is_refused(stats_case, manager, signed_in):
    client = signed_in(manager)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 200
    assert "سالنامه ویژه" in client.get(reverse("desk:inbox"), {"text": "سالنامه"}).content.decode()
    assert set(post_every_action(client, stats_case).values()) == {404}
    assert stats_case.events.count() == Case.objects.get(pk=stats_case.pk).events.count()


def test_only_a_head_over_the_unit_approves_or_assigns(organization, clerk, signed_in, new_staff):
    organization["stats"].requires_answer_approval = True
    organization["stats"].save()
    case = submit(topic_label=STATS_TOPIC).case
    services.answer_case(case, clerk, "پیش‌نویس")
    colleague = new_staff("clerk-stats-2", organization["stats"])
    assert signed_in(clerk).post(reverse("desk:approve", args=[case.pk])).status_code == 403
    assert signed_in(clerk).post(reverse("desk:assign", args=[case.pk]), {"assignee": colleague.pk}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_APPROVAL
    # The head of stats does not exist; the head of a unit elsewhere in the chart cannot approve either.
    budget_head = new_staff("head-budget-x", organization["budget"], StaffMembership.Role.HEAD)
    assert signed_in(budget_head).post(reverse("desk:approve", args=[case.pk])).status_code == 404
    stats_head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    response = signed_in(stats_head).post(reverse("desk:approve", args=[case.pk]))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ANSWERED


def test_the_head_of_a_deputy_approves_for_the_units_below(organization, unit_head, signed_in, new_staff):
    organization["monitoring"].requires_answer_approval = True
    organization["monitoring"].save()
    monitor = new_staff("clerk-monitoring", organization["monitoring"])
    case = submit(topic_label="پروژه‌های نیمه‌تمام").case
    services.answer_case(case, monitor, "پیش‌نویس")
    assert signed_in(unit_head).post(reverse("desk:approve", args=[case.pk])).status_code == 302
    assert Case.objects.get(pk=case.pk).events.filter(type=CaseEvent.Type.ANSWER, is_public=True).exists()


def test_the_triage_operator_routes_but_does_not_see_units_cases(stats_case, triage_operator, signed_in):
    client = signed_in(triage_operator)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 404
    unsure = submit(subject="سلام", body="؟").case
    assert unsure.unit.is_triage
    assert client.get(reverse("desk:case", args=[unsure.pk])).status_code == 200


def test_a_draft_and_its_file_stay_internal_until_approved(organization, clerk, signed_in, new_staff):
    from django.test import Client

    organization["stats"].requires_answer_approval = True
    organization["stats"].save()
    case = submit(topic_label=STATS_TOPIC).case
    draft_file = check_upload(SimpleUploadedFile("draft.pdf", PDF))
    services.answer_case(case, clerk, "پیش‌نویس محرمانه", [draft_file])
    citizen = Client()
    citizen.post(reverse("cases:track"), {"code": case.tracking_code, "secret": "09141234567"})
    page = citizen.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert "پیش‌نویس محرمانه" not in page
    attachment = case.attachments.get(original_name="draft.pdf")
    assert citizen.get(reverse("cases:attachment", args=[case.public_id, attachment.pk])).status_code == 404
    head = new_staff("head-stats", organization["stats"], StaffMembership.Role.HEAD)
    services.approve_answer(case, head)
    assert "پیش‌نویس محرمانه" in citizen.get(reverse("cases:case", args=[case.public_id])).content.decode()
    assert citizen.get(reverse("cases:attachment", args=[case.public_id, attachment.pk])).status_code == 200
