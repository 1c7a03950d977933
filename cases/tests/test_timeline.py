import pytest

from cases.models import CaseEvent
from cases.tests.factories import submit


def test_events_cannot_be_changed(organization):
    event = submit().case.events.first()
    event.text = "rewritten"
    with pytest.raises(TypeError):
        event.save()


def test_events_cannot_be_deleted_one_by_one_or_in_bulk(organization):
    case = submit().case
    before = case.events.count()
    with pytest.raises(TypeError):
        case.events.first().delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(text="x")
    assert case.events.count() == before
