import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case
from directory.models import Topic
from persian.text import to_persian_digits

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def form_data(client, **overrides):
    page = client.get(reverse("cases:submit"))
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "form_token": token,
        "kind": "request",
        "topic": "",
        "subject": "درخواست آمار",
        "body": "متن درخواست",
        "name": "علی رضایی",
        "mobile": "۰۹۱۴۱۲۳۴۵۶۷",
        "email": "",
        "national_id": "",
        "submitter_type": "citizen",
    }
    data.update(overrides)
    return data


def test_the_form_shows_kinds_topics_and_a_counter(client, organization):
    page = client.get(reverse("cases:submit") + "?kind=complaint")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        'value="complaint" checked' in html
        or 'checked value="complaint"' in html
        or re.search(r'<input[^>]*value="complaint"[^>]*checked', html)
    )
    assert "درخواست آمار و اطلاعات" in html  # a public topic label
    assert "data-counter-for" in html
    assert html.count("<h1") == 1


def test_a_valid_submission_shows_the_tracking_code_and_due_date(client, organization):
    topic = Topic.objects.get(label="درخواست آمار و اطلاعات")
    response = client.post(reverse("cases:submit"), form_data(client, topic=topic.pk), follow=True)
    case = Case.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert to_persian_digits(case.display_code) in html
    assert case.unit.name in html
    assert case.submitter_mobile == "+989141234567"


def test_errors_are_shown_beside_fields_and_keep_what_was_typed(client, organization):
    data = form_data(client, mobile="12345", subject="", body="متنی که نباید گم شود")
    response = client.post(reverse("cases:submit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert 'class="error-summary"' in html
    assert html.count('class="field-error"') >= 2
    assert "متنی که نباید گم شود" in html
    assert 'value="12345"' in html


def test_mobile_is_required_unless_anonymous(client, organization):
    response = client.post(reverse("cases:submit"), form_data(client, mobile=""))
    assert response.status_code == 200
    assert Case.objects.count() == 0
    response = client.post(reverse("cases:submit"), form_data(client, mobile="", is_anonymous="on"), follow=True)
    assert Case.objects.get().is_anonymous


def test_which_personal_fields_are_required_is_a_setting(client, organization, settings):
    settings.MIZ_REQUIRED_SUBMITTER_FIELDS = ["name", "national_id"]
    response = client.post(reverse("cases:submit"), form_data(client, name="", national_id=""))
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert response.content.decode().count('class="field-error"') == 2


def test_the_pin_of_an_anonymous_case_is_shown_only_once(client, organization):
    response = client.post(reverse("cases:submit"), form_data(client, is_anonymous="on", mobile=""))
    confirmation = response["Location"]
    first = client.get(confirmation).content.decode()
    pin = re.search(r'id="pin">(\d{6})<', first).group(1)
    second = client.get(confirmation).content.decode()
    assert pin not in second


def test_posting_the_same_form_twice_creates_one_case(client, organization):
    data = form_data(client)
    first = client.post(reverse("cases:submit"), data)
    second = client.post(reverse("cases:submit"), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_confirmation_page_belongs_to_the_browser_that_submitted(client, organization, django_user_model):
    from django.test import Client

    response = client.post(reverse("cases:submit"), form_data(client))
    assert Client().get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", PDF), ("photo.png", PNG), ("letter.docx", docx_bytes())],
)
def test_accepted_attachments_are_stored_under_a_generated_name(client, organization, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    client.post(reverse("cases:submit"), {**form_data(client), "attachments": [upload]})
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert name not in attachment.file.name
    assert attachment.size == len(content)


def test_a_file_that_only_pretends_to_be_a_pdf_is_refused(client, organization):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("cases:submit"), {**form_data(client), "attachments": [fake]})
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "virus.pdf" in response.content.decode()


def test_more_than_three_files_are_refused(client, organization):
    files = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)]
    response = client.post(reverse("cases:submit"), {**form_data(client), "attachments": files})
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_a_file_over_five_megabytes_is_refused(client, organization):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = client.post(reverse("cases:submit"), {**form_data(client), "attachments": [big]})
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_a_body_over_five_thousand_characters_is_refused_and_kept(client, organization):
    body = "الف" * 1700
    response = client.post(reverse("cases:submit"), form_data(client, body=body))
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert body in response.content.decode()


def test_arabic_letters_and_kashida_are_normalized_before_saving(client, organization):
    client.post(reverse("cases:submit"), form_data(client, subject="درخواســت كتاب علمي", name="علي"))
    case = Case.objects.get()
    assert case.subject == "درخواست کتاب علمی"
    assert case.submitter_name == "علی"


def test_user_text_is_escaped_on_every_page(client, organization):
    script = "<script>alert(1)</script>"
    response = client.post(reverse("cases:submit"), form_data(client, subject=script, body=script), follow=True)
    case_page = client.get(reverse("cases:case", args=[Case.objects.get().public_id]))
    for html in (response.content.decode(), case_page.content.decode()):
        assert script not in html
    assert "&lt;script&gt;" in case_page.content.decode()
