"""The routing decision. Today: the citizen's topic or unit, else triage; the learned engine replaces the inside."""

from dataclasses import dataclass, field

from cases.models import RoutingMethod
from directory.models import Unit


@dataclass(frozen=True)
class Decision:
    unit: Unit
    confidence: float
    method: str
    explanation: str = ""
    model_version: str = ""
    runner_up: Unit | None = field(default=None)


def triage_unit() -> Unit:
    return Unit.objects.get(code=Unit.TRIAGE_CODE)


def route(case) -> Decision:
    """Decide where an unsaved case goes. `case.topic` or a unit preset by the citizen wins; else triage."""
    if case.topic_id is not None:
        return Decision(unit=case.topic.unit, confidence=1.0, method=RoutingMethod.TOPIC, explanation=case.topic.label)
    if case.unit_id is not None and case.unit.is_active:
        return Decision(unit=case.unit, confidence=1.0, method=RoutingMethod.UNIT)
    return Decision(unit=triage_unit(), confidence=0.0, method=RoutingMethod.DEFAULT)
