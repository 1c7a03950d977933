"""The routing decision, in layers: the citizen's topic or unit, the organization's rules, the model, triage."""

import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import RoutingMethod
from directory.models import Unit
from persian.templatetags.persian import percent
from persian.text import search_key
from routing.classifier import TrainedClassifier
from routing.models import ModelVersion, RoutingRule, RoutingSettings


@dataclass(frozen=True)
class Decision:
    unit: Unit
    confidence: float
    method: str
    explanation: str = ""
    model_version: ModelVersion | None = None
    runner_up: Unit | None = None


# What routing reads on every case, kept in each process for a few seconds: a change made in this process
# applies at once (signals clear it), one made in another process within STATE_TTL_SECONDS.
STATE_TTL_SECONDS = 5.0


@dataclass(frozen=True)
class _State:
    loaded_at: float
    version: ModelVersion | None
    classifier: TrainedClassifier | None
    rules: tuple[tuple[str, Unit, str], ...]
    threshold: float
    units: dict[str, Unit]


_lock = threading.Lock()
_state: _State | None = None


def invalidate(**kwargs) -> None:
    global _state
    _state = None


def _load_state(previous: _State | None) -> _State:
    from routing.training import load_classifier

    active_pk = ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if previous is not None and previous.version is not None and previous.version.pk == active_pk:
        version, classifier = previous.version, previous.classifier  # the model itself is loaded once
    elif active_pk is not None:
        blob = ModelVersion.objects.filter(pk=active_pk).values_list("blob", flat=True).first()
        version, classifier = ModelVersion(pk=active_pk, is_active=True), load_classifier(blob)
    else:
        version, classifier = None, None
    rules = tuple(
        (rule.match_key, rule.unit, rule.phrase)
        for rule in RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit")
        if rule.match_key
    )
    return _State(
        loaded_at=time.monotonic(),
        version=version,
        classifier=classifier,
        rules=rules,
        threshold=RoutingSettings.current().confidence_threshold,
        units={unit.code: unit for unit in Unit.objects.active()},
    )


def _current() -> _State:
    global _state
    with _lock:
        state = _state
        if state is None or time.monotonic() - state.loaded_at > STATE_TTL_SECONDS:
            state = _state = _load_state(state)
        return state


def active_model() -> tuple[ModelVersion, TrainedClassifier] | None:
    """The active version, loaded once per process and reloaded when another version becomes active."""
    state = _current()
    return (state.version, state.classifier) if state.classifier is not None else None


def _triage(state: _State) -> Unit:
    return state.units.get(Unit.TRIAGE_CODE) or Unit.objects.get(code=Unit.TRIAGE_CODE)


def route(case) -> Decision:
    """Decide where an unsaved case goes."""
    if case.topic_id is not None:
        return Decision(unit=case.topic.unit, confidence=1.0, method=RoutingMethod.TOPIC, explanation=case.topic.label)
    if case.unit_id is not None and case.unit.is_active:
        return Decision(unit=case.unit, confidence=1.0, method=RoutingMethod.UNIT)

    state = _current()
    text = f"{case.subject}\n{case.body}"
    key = search_key(text)
    for match_key, unit, phrase in state.rules:  # highest priority first
        if match_key in key:
            return Decision(
                unit=unit,
                confidence=1.0,
                method=RoutingMethod.RULE,
                explanation=_("Rule: “%(phrase)s”") % {"phrase": phrase},
            )

    if state.classifier is None:
        return Decision(unit=_triage(state), confidence=0.0, method=RoutingMethod.DEFAULT)
    version = state.version
    prediction = state.classifier.predict(text)
    units = state.units
    best = units.get(prediction.label)
    runner_up = units.get(prediction.runner_up or "")
    explanation = _("Weighed most: %(words)s. Best guess %(best)s (%(p1)s), then %(second)s (%(p2)s).") % {
        "words": "، ".join(prediction.evidence) or "—",
        "best": best.name if best else prediction.label,
        "p1": percent(prediction.confidence),
        "second": runner_up.name if runner_up else (prediction.runner_up or "—"),
        "p2": percent(prediction.runner_up_confidence),
    }
    threshold = state.threshold
    # Nothing to go on: no n-gram speaks for the guess, or no unit's own model claims the text.
    unsure = not prediction.evidence or prediction.margin <= 0 or prediction.confidence < threshold
    if best is None or best.is_triage or unsure:
        return Decision(
            unit=_triage(state),
            confidence=prediction.confidence,
            method=RoutingMethod.LOW_CONFIDENCE,
            explanation=explanation,
            model_version=version,
            runner_up=best,
        )
    return Decision(
        unit=best,
        confidence=prediction.confidence,
        method=RoutingMethod.MODEL,
        explanation=explanation,
        model_version=version,
        runner_up=runner_up,
    )
