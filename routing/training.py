"""Training data, training runs and model versions: `routing_train`, the first model after migrate, rollback."""

import functools
import hashlib
import json
import logging
import pickle
import zlib
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from routing.classifier import DEFAULT_FEATURES, TrainedClassifier, cross_validate
from routing.models import ModelVersion

logger = logging.getLogger(__name__)

CORPUS_PATH = Path(__file__).resolve().parent / "corpus" / "default.jsonl"
DEFAULT_C = 0.3  # won the 5-fold comparison on the shipped corpus (README)
# A periodically retrained model takes over unless its cross-validated macro-F1 is worse than this.
RETRAIN_TOLERANCE = 0.02


def read_jsonl(path) -> list[tuple[str, str]]:
    """Examples of the evaluation format of units.md: one {"text": ..., "unit": ...} object a line."""
    examples = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                examples.append((str(row["text"]), str(row["unit"])))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not an object with text and unit ({error})") from None
    return examples


def corpus_examples() -> list[tuple[str, str]]:
    return read_jsonl(CORPUS_PATH)


def history_examples() -> list[tuple[str, str]]:
    """Cases whose unit a person confirmed: routed or referred by hand, or answered by the unit that holds them."""
    from cases.models import Case, RoutingMethod
    from directory.models import Unit

    rows = (
        Case.objects.exclude(unit__code=Unit.TRIAGE_CODE)
        .filter(Q(answered_at__isnull=False) | Q(routing_method=RoutingMethod.MANUAL))
        .values_list("subject", "body", "unit__code")
        .order_by("pk")
    )
    return [(f"{subject}\n{body}", code) for subject, body, code in rows]


@functools.lru_cache(maxsize=4)
def _fit_cached(examples: tuple, features: str, c: float, with_cv: bool):
    """Fitting is deterministic: the same examples give the same model, so one process fits them once."""
    texts = [text for text, _ in examples]
    labels = [label for _, label in examples]
    classifier = TrainedClassifier.fit(texts, labels, features, c)
    figures = cross_validate(texts, labels, features, c) if with_cv else None
    return zlib.compress(pickle.dumps(classifier, protocol=pickle.HIGHEST_PROTOCOL), 6), figures


def train(*, include_history: bool = True, features: str = DEFAULT_FEATURES, c: float = DEFAULT_C,
          with_cv: bool = True, activate: bool = True) -> ModelVersion:  # fmt: skip
    corpus = corpus_examples()
    history = history_examples() if include_history else []
    examples = tuple(corpus + history)
    digest = examples_digest(examples)
    blob, figures = _fit_cached(examples, features, c, with_cv)
    version = ModelVersion.objects.create(
        features=features,
        regularization=c,
        training_size=len(examples),
        corpus_size=len(corpus),
        history_size=len(history),
        cv_accuracy=figures.accuracy if figures else None,
        cv_macro_f1=figures.macro_f1 if figures else None,
        labels=sorted({label for _, label in examples}),
        blob=blob,
        examples_digest=digest,
    )
    if activate:
        activate_version(version)
    return version


def examples_digest(examples) -> str:
    digest = hashlib.sha256()
    for text, label in examples:
        digest.update(f"{len(text)}:{text}{len(label)}:{label}".encode())
    return digest.hexdigest()


def retrain_if_history_changed() -> ModelVersion | None:
    """The periodic task: a new version when confirmed cases changed since any version was trained.

    A version already trained on exactly these examples means there is nothing to learn, and it also
    leaves an administrator's rollback in place until new labels arrive. The new version takes over
    unless it cross-validates clearly worse than the active one; then it is kept for a person to judge.
    """
    if ModelVersion.objects.filter(examples_digest=examples_digest(corpus_examples() + history_examples())).exists():
        return None
    active = ModelVersion.objects.filter(is_active=True).first()
    version = train(include_history=True, activate=False)
    previous = active.cv_macro_f1 if active else None
    if previous is None or version.cv_macro_f1 is None or version.cv_macro_f1 >= previous - RETRAIN_TOLERANCE:
        activate_version(version)
    else:
        logger.warning(
            "retrained routing model %s kept inactive: cross-validated macro-F1 %.3f against %.3f of the active one",
            version.label,
            version.cv_macro_f1,
            previous,
        )
    return version


@transaction.atomic
def activate_version(version: ModelVersion) -> None:
    """Make this version the one that routes; the others are kept for rollback."""
    ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    ModelVersion.objects.filter(pk=version.pk).update(is_active=True)
    version.is_active = True
    from routing.engine import invalidate

    # At once for this process, and again after commit so nothing read inside the transaction lingers.
    invalidate()
    transaction.on_commit(invalidate)


def load_classifier(blob: bytes) -> TrainedClassifier:
    # Only blobs this application wrote into its own database are ever loaded.
    return pickle.loads(zlib.decompress(bytes(blob)))  # noqa: S301


def ensure_initial_model(**kwargs) -> None:
    """After migrate on a fresh database: the first model, trained from the shipped corpus."""
    if not ModelVersion.objects.exists() and CORPUS_PATH.exists():
        train(include_history=False)
