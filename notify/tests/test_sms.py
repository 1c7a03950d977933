"""The SMS backends: the two gateway adapters against their fakes, the console and the file, and the plumbing."""

import io
import json
import logging
import threading
import time
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured

from notify.sms import SendResult, SmsBackend, SmsMessage, get_backend, is_iranian_mobile
from notify.sms.base import DETAIL_LIMIT, national_mobile
from notify.sms.console import ConsoleBackend
from notify.sms.file import FileBackend
from notify.sms.kavenegar import KAVENEGAR_STATUSES, KavenegarBackend, kavenegar_localid
from notify.sms.smsir import SMSIR_STATUSES, SmsIrBackend
from notify.tests.fake_gateways import FakeKavenegar, FakeSmsIr

TEXT = "شهروند گرامی، پاسخ درخواست ۱۴۰۳۰۰۱۲ ثبت شد. SECRET-BODY-7781"
TO = "+989121234567"
KAVENEGAR_KEY = "test-kavenegar-key"
SMSIR_KEY = "test-smsir-key"


def message(key="outbox-1", text=TEXT, to=TO):
    return SmsMessage(to=to, text=text, idempotency_key=key)


def kavenegar(gateway, **options):
    options = {"api_key": KAVENEGAR_KEY, "sender": "10004346", "base_url": gateway.url, "timeout": 2} | options
    return KavenegarBackend(**options)


def smsir(gateway, **options):
    options = {"api_key": SMSIR_KEY, "sender": "30007732000000", "base_url": gateway.url, "timeout": 2} | options
    return SmsIrBackend(**options)


def assert_no_secret(result: SendResult, api_key: str, text: str = TEXT):
    for secret in (api_key, quote(api_key, safe=""), text, text[:12], "SECRET-BODY", quote(text, safe="")):
        assert secret not in result.detail, f"{secret!r} leaked into {result.detail!r}"
    assert len(result.detail) <= DETAIL_LIMIT


# ---------------------------------------------------------------------------------------------------------------
# The values


def test_a_message_hides_its_text_from_repr():
    assert "SECRET-BODY" not in repr(message())
    assert "outbox-1" in repr(message())


def test_a_result_cannot_be_both_ok_and_permanent():
    with pytest.raises(ValueError):
        SendResult(ok=True, permanent=True)


def test_a_result_detail_is_clipped():
    result = SendResult.transient("x " * 2000)
    assert len(result.detail) == DETAIL_LIMIT


@pytest.mark.parametrize(
    ("number", "valid"),
    [("+989121234567", True), ("09121234567", False), ("+98912123456", False), ("+982188776655", False), ("", False)],
)
def test_recipients_are_iranian_mobiles_in_e164(number, valid):
    assert is_iranian_mobile(number) is valid


def test_national_form():
    assert national_mobile("+989121234567") == "09121234567"


# ---------------------------------------------------------------------------------------------------------------
# Kavenegar


def test_kavenegar_sends_what_its_api_wants(fake_kavenegar):
    result = kavenegar(fake_kavenegar).send(message())

    assert result.ok and not result.permanent
    assert result.status_code == 200
    assert result.gateway_id == str(fake_kavenegar.deliveries[0]["id"])
    [request] = fake_kavenegar.requests
    assert request.method == "POST"
    assert request.path == f"/v1/{KAVENEGAR_KEY}/sms/send.json"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert request.body == {
        "receptor": "09121234567",
        "message": TEXT,
        "sender": "10004346",
        "localid": str(kavenegar_localid("outbox-1")),
    }
    assert fake_kavenegar.deliveries == [
        {
            "id": int(result.gateway_id),
            "to": "09121234567",
            "text": TEXT,
            "sender": "10004346",
            "localid": request.body["localid"],
        }
    ]
    assert_no_secret(result, KAVENEGAR_KEY)
    assert "return.status 200" in result.detail


def test_kavenegar_localid_is_a_stable_positive_long():
    assert kavenegar_localid("42") == 42  # the outbox row id itself, easy to look up in Kavenegar's panel
    assert kavenegar_localid("outbox-1") == kavenegar_localid("outbox-1")
    assert kavenegar_localid("outbox-1") != kavenegar_localid("outbox-2")
    for key in ("outbox-1", "042", "0", "9" * 30, "کلید", ""):
        assert 0 < kavenegar_localid(key) < 2**63
    assert kavenegar_localid("042") != 42  # leading zeros would make two keys share a localid


@pytest.mark.parametrize(("status", "expected"), sorted(KAVENEGAR_STATUSES.items()))
def test_kavenegar_classifies_every_documented_status(fake_kavenegar, status, expected):
    permanent, meaning = expected
    fake_kavenegar.answer_next(status)

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok
    assert result.permanent is permanent
    assert result.status_code == status  # the fake, like Kavenegar, mirrors return.status in the HTTP status
    assert f"return.status {status} ({meaning})" in result.detail
    assert fake_kavenegar.deliveries == []
    assert_no_secret(result, KAVENEGAR_KEY)


@pytest.mark.parametrize(("status", "permanent"), [(411, True), (418, False), (999, False)])
def test_kavenegar_trusts_the_json_status_even_under_http_200(fake_kavenegar, status, permanent):
    body = json.dumps({"return": {"status": status, "message": "x"}, "entries": None}).encode()
    fake_kavenegar.http_error_next(200, body=body, headers={})

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and result.permanent is permanent and result.status_code == 200


def test_kavenegar_wrong_key_sender_and_receptor_as_the_gateway_judges_them(fake_kavenegar):
    assert kavenegar(fake_kavenegar, api_key="wrong").send(message()).detail.startswith("Kavenegar return.status 403")
    assert kavenegar(fake_kavenegar, sender="3000").send(message()).permanent
    assert fake_kavenegar.deliveries == []


def test_kavenegar_timeout_is_transient(fake_kavenegar):
    fake_kavenegar.time_out_next(delay=3)
    started = time.monotonic()

    result = kavenegar(fake_kavenegar, timeout=0.3).send(message())

    assert time.monotonic() - started < 2
    assert not result.ok and not result.permanent
    assert result.status_code is None
    assert "no answer within 0.3s" in result.detail


def test_kavenegar_retry_after_a_timeout_does_not_send_twice(fake_kavenegar):
    # The gateway accepted the first attempt but its answer never arrived in time.
    fake_kavenegar.time_out_next(delay=3)
    first = kavenegar(fake_kavenegar, timeout=0.3).send(message("outbox-77"))
    assert not first.ok and not first.permanent

    # The outbox retries later, possibly from another worker process: a new backend instance.
    retry = kavenegar(fake_kavenegar).send(message("outbox-77"))

    assert retry.ok
    assert len(fake_kavenegar.requests) == 2
    assert len(fake_kavenegar.deliveries) == 1
    assert retry.gateway_id == str(fake_kavenegar.deliveries[0]["id"])
    assert fake_kavenegar.requests[0].body["localid"] == fake_kavenegar.requests[1].body["localid"]


def test_kavenegar_retry_after_a_cut_off_answer_does_not_send_twice(fake_kavenegar):
    fake_kavenegar.malformed_next("truncated")  # sent, then the answer broke off inside the echoed text
    backend = kavenegar(fake_kavenegar)
    first = backend.send(message("outbox-78"))
    assert not first.ok and not first.permanent and first.status_code == 200
    assert "malformed answer" in first.detail
    assert_no_secret(first, KAVENEGAR_KEY)

    retry = backend.send(message("outbox-78"))

    assert retry.ok and len(fake_kavenegar.deliveries) == 1
    assert retry.gateway_id == str(fake_kavenegar.deliveries[0]["id"])


def test_a_backend_never_resends_what_it_saw_accepted(fake_kavenegar):
    backend = kavenegar(fake_kavenegar)
    first = backend.send(message("outbox-5"))
    again = backend.send(message("outbox-5"))

    assert again.ok and again.gateway_id == first.gateway_id
    assert "already accepted by this backend" in again.detail
    assert len(fake_kavenegar.requests) == 1


def test_concurrent_sends_of_one_key_reach_the_gateway_once(fake_kavenegar):
    backend = kavenegar(fake_kavenegar)
    fake_kavenegar.time_out_next(delay=0.3)  # the first send is slow but answers in time
    results = []
    threads = [threading.Thread(target=lambda: results.append(backend.send(message("outbox-9")))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(r.ok for r in results) and len({r.gateway_id for r in results}) == 1
    assert len(fake_kavenegar.requests) == 1


@pytest.mark.parametrize("variant", ["html", "empty"])
def test_kavenegar_malformed_answer_is_transient(fake_kavenegar, variant):
    fake_kavenegar.malformed_next(variant)

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and not result.permanent and result.status_code == 200
    assert "malformed answer" in result.detail
    assert_no_secret(result, KAVENEGAR_KEY)


def test_kavenegar_success_without_a_messageid_is_malformed(fake_kavenegar):
    body = json.dumps({"return": {"status": 200, "message": "تایید شد"}, "entries": []}).encode()
    fake_kavenegar.http_error_next(200, body=body)

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and not result.permanent and "without a messageid" in result.detail


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_kavenegar_5xx_is_transient(fake_kavenegar, status):
    fake_kavenegar.http_error_next(status)

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and not result.permanent and result.status_code == status
    assert "502 Bad Gateway" in result.detail  # the proxy's page, readable without its tags


def test_kavenegar_failed_message_status_is_permanent(fake_kavenegar):
    entry = {"messageid": 5, "message": TEXT, "status": 14, "statustext": "بلاک شده", "receptor": "09121234567"}
    body = json.dumps({"return": {"status": 200, "message": "تایید شد"}, "entries": [entry]}, ensure_ascii=False)
    fake_kavenegar.http_error_next(200, body=body.encode())

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and result.permanent and "blocked by the recipient" in result.detail
    assert_no_secret(result, KAVENEGAR_KEY)


def test_kavenegar_refused_connection_is_transient():
    gateway = FakeKavenegar().start()
    backend = kavenegar(gateway)
    gateway.stop()

    result = backend.send(message())

    assert not result.ok and not result.permanent and result.status_code is None
    assert result.detail == "connection refused"


def test_redirects_are_not_followed(fake_kavenegar):
    fake_kavenegar.http_error_next(302, body=b"", headers={"Location": "http://127.0.0.1:1/elsewhere"})

    result = kavenegar(fake_kavenegar).send(message())

    assert not result.ok and not result.permanent and result.status_code == 302
    assert len(fake_kavenegar.requests) == 1


def test_a_huge_answer_gives_a_short_detail(fake_kavenegar):
    body = json.dumps({"return": {"status": 402, "message": "خطا " * 5000}, "entries": None}).encode()
    fake_kavenegar.http_error_next(402, body=body)

    result = kavenegar(fake_kavenegar).send(message())

    assert len(result.detail) <= DETAIL_LIMIT and not result.permanent


def test_an_invalid_recipient_is_refused_without_calling_the_gateway(fake_kavenegar):
    for bad in (message(to="09121234567"), message(to="+982188776655"), message(text="  "), message(key="")):
        result = kavenegar(fake_kavenegar).send(bad)
        assert not result.ok and result.permanent
    assert fake_kavenegar.requests == []


def test_gateway_backends_need_their_settings(fake_kavenegar):
    with pytest.raises(ImproperlyConfigured):
        kavenegar(fake_kavenegar, api_key="")
    with pytest.raises(ImproperlyConfigured):
        kavenegar(fake_kavenegar, sender="")
    with pytest.raises(ImproperlyConfigured):
        kavenegar(fake_kavenegar, base_url="file:///etc/passwd")
    with pytest.raises(ImproperlyConfigured):
        kavenegar(fake_kavenegar, timeout=0)


def test_the_api_key_never_reaches_repr_or_the_log(fake_kavenegar, caplog):
    backend = kavenegar(fake_kavenegar)
    assert KAVENEGAR_KEY not in repr(backend)
    caplog.set_level(logging.DEBUG, logger="notify.sms")
    fake_kavenegar.answer_next(411)
    backend.send(message("a"))
    fake_kavenegar.malformed_next("truncated")
    backend.send(message("b"))
    backend.send(message("c"))
    logged = caplog.text
    assert logged
    for secret in (KAVENEGAR_KEY, TEXT, "SECRET-BODY", TEXT[:12]):
        assert secret not in logged


def test_an_unexpected_bug_is_a_logged_transient_result(fake_kavenegar, monkeypatch, caplog):
    backend = kavenegar(fake_kavenegar)

    def broken(answer, msg):
        raise KeyError(f"boom {KAVENEGAR_KEY} {msg.text}")

    monkeypatch.setattr(backend, "_interpret", broken)

    result = backend.send(message())

    assert not result.ok and not result.permanent
    assert "KeyError" in caplog.text and "boom" in caplog.text
    assert KAVENEGAR_KEY not in caplog.text and "SECRET-BODY" not in caplog.text


# ---------------------------------------------------------------------------------------------------------------
# SMS.ir


def test_smsir_sends_what_its_api_wants(fake_smsir):
    result = smsir(fake_smsir).send(message())

    assert result.ok and result.status_code == 200
    [request] = fake_smsir.requests
    assert request.method == "POST"
    assert request.path == "/v1/send/bulk"
    assert request.headers["X-API-KEY"] == SMSIR_KEY
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.body == {
        "lineNumber": 30007732000000,
        "messageText": TEXT,
        "mobiles": ["09121234567"],
        "sendDateTime": None,
    }
    assert result.gateway_id == str(fake_smsir.deliveries[0]["id"])
    assert "packId" in result.detail
    assert_no_secret(result, SMSIR_KEY)


@pytest.mark.parametrize(("status", "expected"), sorted(SMSIR_STATUSES.items()))
def test_smsir_classifies_every_documented_status(fake_smsir, status, expected):
    permanent, meaning = expected
    fake_smsir.answer_next(status)

    result = smsir(fake_smsir).send(message())

    assert not result.ok
    assert result.permanent is permanent
    assert result.status_code == FakeSmsIr.http_status_for(status)
    assert f"SMS.ir status {status} ({meaning})" in result.detail
    assert fake_smsir.deliveries == []
    assert_no_secret(result, SMSIR_KEY)


def test_smsir_judges_key_line_and_mobile_like_the_gateway(fake_smsir):
    wrong_key = smsir(fake_smsir, api_key="wrong").send(message())
    assert wrong_key.permanent and wrong_key.status_code == 401 and "status 10" in wrong_key.detail
    assert smsir(fake_smsir, sender="30001").send(message()).detail.startswith("SMS.ir status 101")
    assert fake_smsir.deliveries == []


def test_smsir_sender_must_be_a_line_number(fake_smsir):
    with pytest.raises(ImproperlyConfigured):
        smsir(fake_smsir, sender="Miz")


def test_smsir_unknown_status_is_transient(fake_smsir):
    fake_smsir.http_error_next(400, body=b'{"status": 777, "message": "new", "data": null}')

    result = smsir(fake_smsir).send(message())

    assert not result.ok and not result.permanent and "unknown status" in result.detail


def test_smsir_timeout_is_transient(fake_smsir):
    fake_smsir.time_out_next(delay=3)

    result = smsir(fake_smsir, timeout=0.3).send(message())

    assert not result.ok and not result.permanent and result.status_code is None
    assert "may or may not have accepted" in result.detail


def test_smsir_cannot_deduplicate_a_retry_after_a_timeout(fake_smsir):
    # Documented limitation: send/bulk takes no client-side id, so a send whose answer was lost and its retry
    # are two deliveries. Within one backend instance, only accepted sends are remembered.
    fake_smsir.time_out_next(delay=3)
    backend = smsir(fake_smsir, timeout=0.3)
    assert not backend.send(message("outbox-3")).ok
    assert backend.send(message("outbox-3")).ok

    assert len(fake_smsir.deliveries) == 2


def test_smsir_backend_never_resends_what_it_saw_accepted(fake_smsir):
    backend = smsir(fake_smsir)
    first = backend.send(message("outbox-4"))
    again = backend.send(message("outbox-4"))

    assert again.ok and again.gateway_id == first.gateway_id
    assert len(fake_smsir.deliveries) == 1


@pytest.mark.parametrize("variant", ["html", "truncated", "empty"])
def test_smsir_malformed_answer_is_transient(fake_smsir, variant):
    fake_smsir.malformed_next(variant)

    result = smsir(fake_smsir).send(message())

    assert not result.ok and not result.permanent and result.status_code == 200
    assert "malformed answer" in result.detail
    assert_no_secret(result, SMSIR_KEY)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_smsir_5xx_without_a_body_status_is_transient(fake_smsir, status):
    fake_smsir.http_error_next(status, body=b"Service Unavailable")

    result = smsir(fake_smsir).send(message())

    assert not result.ok and not result.permanent and result.status_code == status


def test_smsir_401_without_a_body_is_an_authentication_failure(fake_smsir):
    fake_smsir.http_error_next(401, body=b"")

    result = smsir(fake_smsir).send(message())

    assert not result.ok and result.permanent and result.status_code == 401


def test_smsir_refused_connection_is_transient():
    gateway = FakeSmsIr().start()
    backend = smsir(gateway)
    gateway.stop()

    result = backend.send(message())

    assert not result.ok and not result.permanent and result.status_code is None
    assert result.detail == "connection refused"


def test_smsir_echoing_text_in_an_error_does_not_leak_it(fake_smsir):
    body = json.dumps({"status": 104, "message": f"invalid mobile for text {TEXT}", "data": None}).encode()
    fake_smsir.http_error_next(400, body=body)

    result = smsir(fake_smsir).send(message())

    assert result.permanent
    assert_no_secret(result, SMSIR_KEY)
    assert "[redacted]" in result.detail


# ---------------------------------------------------------------------------------------------------------------
# Console and file


def test_console_prints_and_succeeds():
    stream = io.StringIO()
    backend = ConsoleBackend(stream=stream)

    result = backend.send(message())

    assert result.ok and result.gateway_id.startswith("console-")
    printed = stream.getvalue()
    assert TEXT in printed and TO in printed and "outbox-1" in printed and "(UCS-2)" in printed
    assert TEXT not in result.detail


def test_console_writes_to_stdout_by_default(capsys):
    assert ConsoleBackend().send(message()).ok
    assert TEXT in capsys.readouterr().out


def test_file_appends_one_json_line_per_message(tmp_path):
    path = tmp_path / "out" / "sms.jsonl"
    backend = FileBackend(path)

    first = backend.send(message("k1"))
    second = backend.send(message("k2", text="Hello"))

    assert first.ok and second.ok and first.gateway_id != second.gateway_id
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["to"] == TO and record["text"] == TEXT and record["idempotency_key"] == "k1"
    assert record["gateway_id"] == first.gateway_id
    assert record["time"].endswith("+00:00")
    assert TEXT in lines[0]  # Persian stays readable in the file


def test_file_deduplicates_on_the_key_across_instances(tmp_path):
    path = tmp_path / "sms.jsonl"
    first = FileBackend(path).send(message("k1"))

    again = FileBackend(path).send(message("k1"))

    assert again.ok and again.gateway_id == first.gateway_id
    assert len(FileBackend(path).records()) == 1


def test_file_sees_keys_written_by_another_instance_after_its_own_last_send(tmp_path):
    path = tmp_path / "sms.jsonl"
    mine, theirs = FileBackend(path), FileBackend(path)  # two worker processes sharing the file
    mine.send(message("k1"))
    first = theirs.send(message("k2"))

    again = mine.send(message("k2"))

    assert again.gateway_id == first.gateway_id and again.detail == "already in the file"
    assert len(mine.records()) == 2


def test_file_starts_over_when_the_file_is_replaced(tmp_path):
    path = tmp_path / "sms.jsonl"
    backend = FileBackend(path)
    backend.send(message("k1"))
    path.unlink()  # rotated away

    assert backend.send(message("k1")).detail == "appended to sms.jsonl"
    assert len(backend.records()) == 1


def test_file_skips_a_broken_line(tmp_path):
    path = tmp_path / "sms.jsonl"
    path.write_text('{"idempotency_key": "k0", "gateway_id": "g0"}\n{"cut off', encoding="utf-8")

    assert FileBackend(path).send(message("k0")).gateway_id == "g0"
    result = FileBackend(path).send(message("k1"))

    assert result.ok
    assert [r["idempotency_key"] for r in FileBackend(path).records()] == ["k0", "k1"]


def test_file_concurrent_sends_of_one_key_write_one_line(tmp_path):
    path = tmp_path / "sms.jsonl"
    results = []
    threads = [threading.Thread(target=lambda: results.append(FileBackend(path).send(message("k")))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({r.gateway_id for r in results}) == 1
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1


# ---------------------------------------------------------------------------------------------------------------
# Choosing a backend


def test_get_backend_builds_the_configured_backend(tmp_path):
    backend = get_backend("notify.sms.file.FileBackend", path=tmp_path / "x.jsonl", sender="3000")
    assert isinstance(backend, FileBackend) and backend.sender == "3000"
    kave = get_backend("notify.sms.kavenegar.KavenegarBackend", api_key="k", sender="10004346", timeout=5)
    assert isinstance(kave, KavenegarBackend) and kave.timeout == 5
    assert kave.base_url == "https://api.kavenegar.com/v1"


@pytest.mark.parametrize("path", ["notify.sms.nothing.Backend", "notify.sms.base.SmsMessage", "json"])
def test_get_backend_refuses_what_is_not_a_backend(path):
    with pytest.raises(ImproperlyConfigured):
        get_backend(path)


def test_backends_have_translatable_names():
    for backend_class in (ConsoleBackend, FileBackend, KavenegarBackend, SmsIrBackend, SmsBackend):
        assert str(backend_class.verbose_name)
