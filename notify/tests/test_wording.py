"""Administrators reword messages; the restricted engine keeps their wording to the listed variables."""

import pytest

from cases.tests.factories import submit
from notify import wording
from notify.models import Message, MessageTemplate
from notify.sms import segments

pytestmark = pytest.mark.django_db


def test_every_message_has_a_default_wording_for_each_of_its_channels():
    for kind in wording.MESSAGE_KINDS.values():
        if kind.sms:
            assert wording.default_source(kind.name, "sms_text"), kind.name
        if kind.email:
            for part in ("email_subject", "email_text", "email_html"):
                assert wording.default_source(kind.name, part), (kind.name, part)


def test_an_administrators_wording_is_used_for_the_next_message(organization, administrator, client):
    client.force_login(administrator)
    form = client.get("/admin/notify/messagetemplate/add/?name=case_received").content.decode()
    assert "{{ code }}" in form  # the form starts from the default wording and lists the variables
    response = client.post(
        "/admin/notify/messagetemplate/add/",
        {"name": "case_received", "sms_text": "پیام شما رسید. کد پیگیری: {{ code }}", "email_subject": "",
         "email_text": "", "email_html": ""},
    )  # fmt: skip
    assert response.status_code == 302
    case = submit(mobile="+989141234567", unit=organization["stats"]).case
    sms = Message.objects.get(case=case, channel="sms")
    assert sms.text.startswith(f"پیام شما رسید. کد پیگیری: {case.display_code}\n")


def test_a_wording_that_does_not_compile_is_refused_beside_its_field(administrator, client):
    client.force_login(administrator)
    response = client.post(
        "/admin/notify/messagetemplate/add/",
        {"name": "case_received", "sms_text": "{% if code %}بدون پایان", "email_subject": "",
         "email_text": "", "email_html": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sms_text"]
    assert not MessageTemplate.objects.exists()


def test_a_wording_that_includes_a_file_is_refused_beside_its_field(administrator, client):
    client.force_login(administrator)
    response = client.post(
        "/admin/notify/messagetemplate/add/",
        {"name": "case_answered", "sms_text": "", "email_subject": "", "email_text": "",
         "email_html": '{% include "base.html" %}'},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email_html"]


@pytest.mark.parametrize(
    "source",
    ['{% include "base.html" %}', "{% load static %}{% static 'x' %}", '{% extends "base.html" %}'],
)
def test_a_wording_cannot_reach_files_or_other_tag_libraries(organization, source):
    MessageTemplate.objects.create(name="case_received", sms_text=source)
    case = submit(mobile="+989141234567", unit=organization["stats"]).case
    # Refused at compile or render time: the default wording is sent instead.
    assert case.display_code in Message.objects.get(case=case, channel="sms").text


def test_variables_are_plain_strings_so_a_wording_reaches_nothing_else(organization):
    MessageTemplate.objects.create(
        name="case_received", sms_text="{{ case.submitter_name }}|{{ settings.SECRET_KEY }}|{{ code }}"
    )
    case = submit(mobile="+989141234567", unit=organization["stats"]).case
    assert Message.objects.get(case=case, channel="sms").text.startswith(f"||{case.display_code}")


def test_a_long_sms_is_cut_to_three_parts_and_keeps_its_signature(organization, settings):
    MessageTemplate.objects.create(name="case_received", sms_text="کد {{ code }} " + "متن طولانی " * 60)
    case = submit(mobile="+989141234567", unit=organization["stats"]).case
    text = Message.objects.get(case=case, channel="sms").text
    assert segments(text)[1] == 3
    assert text.endswith("…\n" + settings.MIZ_SMS_SIGNATURE)


def test_the_signature_is_the_senders_name_on_its_own_line(settings):
    settings.MIZ_SMS_SIGNATURE = "سازمان نمونه"
    assert wording.sms_with_signature("کد ۱۲۳") == "کد ۱۲۳\nسازمان نمونه"


def test_the_wordings_page_lists_every_message_with_a_link_to_reword_it(administrator, client):
    MessageTemplate.objects.create(name="case_answered", sms_text="پاسخ {{ code }}")
    client.force_login(administrator)
    page = client.get("/admin/notify/messagetemplate/").content.decode()
    for name in wording.MESSAGE_KINDS:
        assert f"/admin/notify/messagetemplate/add/?name={name}" in page
    assert page.count("(بازنویسی‌شده)") == 1  # reworded: only case_answered


def test_an_administrator_starts_from_the_default_in_persian_with_its_variables(administrator, client):
    client.force_login(administrator)
    form = client.get("/admin/notify/messagetemplate/add/?name=case_received").context["adminform"].form
    sms = form.initial["sms_text"]
    assert "{{ code }}" in sms and "{{ due_date }}" in sms and "دریافت شد" in sms
    assert "blocktranslate" not in sms and "Tracking" not in sms
    assert "<p>" in form.initial["email_html"]  # the HTML keeps its tags


def test_the_persian_default_saved_as_is_renders_like_the_default(organization):
    for name, kind in wording.MESSAGE_KINDS.items():
        if not kind.sms:
            continue
        context = dict.fromkeys(kind.variables, "X")
        flattened = wording.editable_default(name, "sms_text")
        assert wording.render_part(flattened, "sms_text", context) == wording.render(name, context).sms_text, name
