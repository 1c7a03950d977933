import datetime
import uuid

import pytest
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError
from django.utils import timezone

from cases.models import Case, CaseEvent, RoutingMethod, Status
from cases.tests.factories import submit
from cases.tracking import is_valid_code
from cases.uploads import CheckedFile


def test_a_case_with_a_topic_goes_to_the_topics_unit(organization):
    result = submit(topic_label="درخواست آمار و اطلاعات")
    case = result.case
    assert result.created
    assert case.unit.code == "stats"
    assert case.status == Status.ROUTED
    assert case.routing_method == RoutingMethod.TOPIC
    assert is_valid_code(case.tracking_code)


def test_a_case_without_a_topic_is_routed_by_the_model(organization):
    case = submit(subject="سالنامه آماری", body="لطفاً سالنامه آماری استان و آمار جمعیت شهرستان‌ها را بفرستید.").case
    assert case.unit.code == "stats"
    assert case.status == Status.ROUTED
    assert case.routing_method == RoutingMethod.MODEL
    assert case.routing_model_version is not None
    assert 0.5 <= case.routing_confidence <= 1


def test_a_case_the_model_cannot_place_waits_at_triage(organization):
    case = submit(subject="سلام", body="؟").case
    assert case.unit.code == "triage"
    assert case.status == Status.SUBMITTED
    assert case.routing_method == RoutingMethod.LOW_CONFIDENCE


def test_a_unit_picked_by_the_citizen_routes_there(organization):
    case = submit(unit=organization["legal"]).case
    assert case.unit.code == "legal"
    assert case.routing_method == RoutingMethod.UNIT


def test_the_first_events_are_written_with_the_case(organization):
    case = submit(topic_label="درخواست آمار و اطلاعات").case
    public = list(case.events.filter(is_public=True))
    assert [event.type for event in public] == [CaseEvent.Type.SUBMITTED, CaseEvent.Type.ROUTED]
    assert public[1].to_unit.code == "stats"
    # Why it went there is on the staff timeline only.
    note = case.events.get(is_public=False)
    assert note.type == CaseEvent.Type.NOTE and "درخواست آمار و اطلاعات" in note.text


def test_the_same_form_token_makes_one_case(organization):
    token = uuid.uuid4()
    first = submit(form_token=token)
    second = submit(form_token=token)
    assert first.created and not second.created
    assert second.case.pk == first.case.pk
    assert Case.objects.count() == 1


def test_the_due_date_counts_working_days_from_today(organization, settings):
    settings.MIZ_DEADLINE_WORKING_DAYS = {**settings.MIZ_DEADLINE_WORKING_DAYS, "request": 1}
    case = submit().case
    today = timezone.localdate()
    assert case.due_date > today
    assert case.due_date - today <= datetime.timedelta(days=3)
    assert case.due_date.weekday() not in settings.MIZ_WEEKEND_DAYS


def test_an_anonymous_case_gets_a_pin_and_keeps_nothing_personal(organization):
    result = submit(anonymous=True, name="نباید ذخیره شود")
    case = result.case
    assert result.pin is not None and len(result.pin) == 6 and result.pin.isdigit()
    assert case.is_anonymous
    assert case.submitter_name == "" and case.submitter_mobile == ""
    assert check_password(result.pin, case.pin_hash)


def test_a_case_with_a_mobile_gets_no_pin(organization):
    result = submit()
    assert result.pin is None
    assert result.case.pin_hash == ""


def test_a_case_without_any_second_factor_cannot_exist(organization):
    case = submit().case
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(submitter_mobile="")


def test_a_failure_inside_the_transaction_leaves_no_half_written_case(organization):
    """An upload stream that breaks mid-way (a dropped connection) must not leave a case without its files."""

    class BrokenUpload:
        name = "scan.pdf"
        size = 10

        def chunks(self):
            raise OSError("connection reset")

        def read(self, *args):
            raise OSError("connection reset")

        def seek(self, *args):
            return 0

    broken = CheckedFile(
        upload=BrokenUpload(),
        extension=".pdf",
        content_type="application/pdf",
        original_name="scan.pdf",
        size=10,
        sha256="0" * 64,
    )
    with pytest.raises(OSError):
        submit(files=[broken])
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
