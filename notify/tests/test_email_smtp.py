"""E-mail through Django's SMTP backend to a real SMTP server on loopback, read back as it arrived."""

import pytest

from cases.tests.factories import submit
from directory.models import Unit
from notify import outbox
from notify.models import Message

pytestmark = pytest.mark.django_db

EMAIL = "citizen@example.com"


def deliver_all():
    return outbox.deliver_due()


def test_an_e_mail_arrives_in_persian_right_to_left_as_html_and_text_with_its_headers(organization, smtp_server):
    case = submit(email=EMAIL, notify_by="email", unit=organization["stats"]).case
    deliver_all()
    [arrived] = smtp_server.messages_to(EMAIL)
    message = Message.objects.get(case=case, channel="email")
    assert arrived["To"] == EMAIL
    # Django folds a long encoded subject onto the next line; unfolded, it starts with the folding space.
    assert arrived["Subject"].strip() == message.subject and case.display_code in message.subject
    assert arrived["Message-ID"] == f"<{message.delivery_id.hex}@miz.invalid>"
    assert arrived["Auto-Submitted"] == "auto-generated"
    assert arrived["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert arrived["List-Unsubscribe"].strip().startswith("<https://miz.example/notifications/unsubscribe/")
    assert arrived.get_content_type() == "multipart/alternative"
    text = arrived.get_body(("plain",)).get_content()
    html = arrived.get_body(("html",)).get_content()
    assert case.display_code in text and case.display_code in html
    assert '<html lang="fa" dir="rtl">' in html
    assert arrived.get_body(("html",)).get_content_charset() == "utf-8"


def test_what_a_variable_holds_is_escaped_in_the_html_and_plain_in_the_text(organization, smtp_server):
    Unit.objects.filter(code="stats").update(name='آمار <script>alert("x")</script> & اطلاعات')
    case = submit(email=EMAIL, notify_by="email", unit=Unit.objects.get(code="stats")).case
    from cases import services
    from conftest import make_staff

    services.answer_case(case, make_staff("head-stats", case.unit, "head"), "پاسخ")
    deliver_all()
    answered = [m for m in smtp_server.messages_to(EMAIL) if "<script>" not in m.get_body(("html",)).get_content()]
    assert len(answered) == 2  # received and answered, neither with a live tag
    html = smtp_server.messages_to(EMAIL)[-1].get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; اطلاعات" in html
    text = smtp_server.messages_to(EMAIL)[-1].get_body(("plain",)).get_content()
    assert '<script>alert("x")</script> & اطلاعات' in text


def test_a_mail_server_that_refuses_the_address_for_good_fails_the_message_at_once(organization, smtp_server):
    submit(email=EMAIL, notify_by="email", unit=organization["stats"])
    smtp_server.refuse_next_recipient("550 5.1.1 No such mailbox")
    deliver_all()
    message = Message.objects.get(channel="email")
    assert message.status == "failed" and message.last_error.startswith("recipient refused: 550")
    assert message.attempt_log.get().status_code == 550


def test_a_mail_server_that_says_try_later_gets_a_retry(organization, smtp_server):
    submit(email=EMAIL, notify_by="email", unit=organization["stats"])
    smtp_server.refuse_next_recipient("451 4.3.0 Try again later")
    deliver_all()
    message = Message.objects.get(channel="email")
    assert message.status == "pending" and message.attempts == 1
    assert smtp_server.messages_to(EMAIL) == []


def test_a_mail_server_that_is_down_means_a_retry_not_a_failure(organization, smtp_server):
    smtp_server.stop()
    submit(email=EMAIL, notify_by="email", unit=organization["stats"])
    deliver_all()
    message = Message.objects.get(channel="email")
    assert message.status == "pending"
    assert "ConnectionRefusedError" in message.attempt_log.get().detail
