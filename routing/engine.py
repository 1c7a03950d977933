"""The routing decision, in layers: the citizen's topic or unit, the organization's rules, the model, triage."""

import threading
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


_lock = threading.Lock()
_loaded: tuple[int, TrainedClassifier] | None = None


def active_model() -> tuple[ModelVersion, TrainedClassifier] | None:
    """The active version, loaded once per process and reloaded only when another version becomes active."""
    global _loaded
    from routing.training import load_classifier

    active_pk = ModelVersion.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if active_pk is None:
        return None
    with _lock:
        if _loaded is None or _loaded[0] != active_pk:
            blob = ModelVersion.objects.filter(pk=active_pk).values_list("blob", flat=True).first()
            if blob is None:
                return None
            _loaded = (active_pk, load_classifier(blob))
        classifier = _loaded[1]
    return ModelVersion(pk=active_pk, is_active=True), classifier


def _triage() -> Unit:
    return Unit.objects.get(code=Unit.TRIAGE_CODE)


def _rule_for(text: str) -> RoutingRule | None:
    key = search_key(text)
    for rule in RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit"):
        if rule.match_key and rule.match_key in key:
            return rule
    return None


def route(case) -> Decision:
    """Decide where an unsaved case goes."""
    if case.topic_id is not None:
        return Decision(unit=case.topic.unit, confidence=1.0, method=RoutingMethod.TOPIC, explanation=case.topic.label)
    if case.unit_id is not None and case.unit.is_active:
        return Decision(unit=case.unit, confidence=1.0, method=RoutingMethod.UNIT)

    text = f"{case.subject}\n{case.body}"
    rule = _rule_for(text)
    if rule is not None:
        return Decision(
            unit=rule.unit,
            confidence=1.0,
            method=RoutingMethod.RULE,
            explanation=_("Rule: “%(phrase)s”") % {"phrase": rule.phrase},
        )

    loaded = active_model()
    if loaded is None:
        return Decision(unit=_triage(), confidence=0.0, method=RoutingMethod.DEFAULT)
    version, classifier = loaded
    prediction = classifier.predict(text)
    units = {
        unit.code: unit
        for unit in Unit.objects.active().filter(code__in=[prediction.label, prediction.runner_up or ""])
    }
    best = units.get(prediction.label)
    runner_up = units.get(prediction.runner_up or "")
    explanation = _("Weighed most: %(words)s. Best guess %(best)s (%(p1)s), then %(second)s (%(p2)s).") % {
        "words": "، ".join(prediction.evidence) or "—",
        "best": best.name if best else prediction.label,
        "p1": percent(prediction.confidence),
        "second": runner_up.name if runner_up else (prediction.runner_up or "—"),
        "p2": percent(prediction.runner_up_confidence),
    }
    threshold = RoutingSettings.current().confidence_threshold
    # Nothing to go on: no n-gram speaks for the guess, or no unit's own model claims the text.
    unsure = not prediction.evidence or prediction.margin <= 0 or prediction.confidence < threshold
    if best is None or best.is_triage or unsure:
        return Decision(
            unit=_triage(),
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
