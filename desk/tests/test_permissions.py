"""Who may see and change which case: every boundary of issue 2."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.models import Status
from cases.tests.factories import submit
from cases.uploads import check_upload

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def stats_case(organization):
    upload = SimpleUploadedFile("report.pdf", PDF)
    return submit(topic_label="درخواست آمار و اطلاعات", files=[check_upload(upload)]).case


def test_staff_of_another_unit_gets_404(other_clerk, stats_case, signed_in):
    client = signed_in(other_clerk)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 404
    attachment = stats_case.attachments.get()
    assert client.get(reverse("desk:attachment", args=[stats_case.pk, attachment.pk])).status_code == 404
    assert stats_case.subject not in client.get(reverse("desk:inbox")).content.decode()


def test_staff_of_another_unit_cannot_act(other_clerk, stats_case, signed_in):
    client = signed_in(other_clerk)
    for name in ("desk:note", "desk:answer", "desk:close"):
        assert client.post(reverse(name, args=[stats_case.pk]), {"text": "x", "reason": "x"}).status_code == 404
    stats_case.refresh_from_db()
    assert stats_case.status == Status.ROUTED
    assert stats_case.events.count() == 3  # received, routed, the routing note


def test_staff_of_the_unit_sees_the_case_and_its_files(clerk, stats_case, signed_in):
    client = signed_in(clerk)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 200
    attachment = stats_case.attachments.get()
    response = client.get(reverse("desk:attachment", args=[stats_case.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_head_sees_the_cases_of_units_below(unit_head, organization, signed_in):
    case = submit(topic_label="پروژه‌های نیمه‌تمام").case  # monitoring, under budget
    assert signed_in(unit_head).get(reverse("desk:case", args=[case.pk])).status_code == 200


def test_a_manager_reads_every_case_but_changes_none(manager, stats_case, signed_in):
    client = signed_in(manager)
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 200
    assert client.post(reverse("desk:answer", args=[stats_case.pk]), {"text": "x"}).status_code == 404


def test_an_account_without_a_unit_is_refused(outsider, stats_case, signed_in):
    client = signed_in(outsider)
    assert client.get(reverse("desk:inbox")).status_code == 403
    assert client.get(reverse("desk:case", args=[stats_case.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(stats_case):
    response = Client().get(reverse("desk:case", args=[stats_case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:login"))


def test_a_citizen_downloads_files_only_after_lookup(stats_case):
    attachment = stats_case.attachments.get()
    url = reverse("cases:attachment", args=[stats_case.public_id, attachment.pk])
    stranger = Client()
    assert stranger.get(url).status_code == 404
    stranger.post(reverse("cases:track"), {"code": stats_case.tracking_code, "secret": "09120000000"})
    assert stranger.get(url).status_code == 404
    owner = Client()
    owner.post(reverse("cases:track"), {"code": stats_case.tracking_code, "secret": "09141234567"})
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_citizen_cannot_download_another_cases_file_through_their_own_case(organization, stats_case):
    mine = submit(topic_label="درخواست آمار و اطلاعات", mobile="+989351111111").case
    client = Client()
    client.post(reverse("cases:track"), {"code": mine.tracking_code, "secret": "09351111111"})
    other_file = stats_case.attachments.get()
    assert client.get(reverse("cases:attachment", args=[mine.public_id, other_file.pk])).status_code == 404


def test_internal_notes_never_reach_the_citizen(clerk, stats_case, signed_in):
    signed_in(clerk).post(reverse("desk:note", args=[stats_case.pk]), {"text": "یادداشت محرمانه"})
    citizen = Client()
    location = citizen.post(reverse("cases:track"), {"code": stats_case.tracking_code, "secret": "09141234567"})[
        "Location"
    ]
    assert "یادداشت محرمانه" not in citizen.get(location).content.decode()


def test_changing_state_on_get_is_refused(clerk, stats_case, signed_in):
    client = signed_in(clerk)
    assert client.get(reverse("desk:answer", args=[stats_case.pk])).status_code == 405
    assert client.get(reverse("cases:rating", args=[stats_case.public_id])).status_code == 405
