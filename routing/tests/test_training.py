import random
from collections import Counter

import pytest
from django.urls import reverse

from cases.models import RoutingMethod
from cases.services import answer_case, route_case
from cases.tests.factories import submit
from directory.default_data import UNITS
from routing.classifier import TrainedClassifier, prepare
from routing.engine import active_model
from routing.models import ModelVersion
from routing.training import activate_version, corpus_examples, history_examples, train


def test_the_shipped_corpus_covers_every_unit_with_sixty_messages_or_more():
    counts = Counter(label for _, label in corpus_examples())
    for code, *_ in UNITS:
        if code != "triage":
            assert counts[code] >= 60, code
    assert "triage" not in counts


def test_the_engine_beats_always_the_largest_unit_by_a_wide_margin():
    """Train on 80 % of the shipped corpus, score on the 20 % it never saw."""
    examples = corpus_examples()
    random.Random(11).shuffle(examples)
    cut = int(len(examples) * 0.8)
    train_part, held_out = examples[:cut], examples[cut:]
    classifier = TrainedClassifier.fit([t for t, _ in train_part], [label for _, label in train_part])
    predicted = classifier.predict_many([t for t, _ in held_out])
    gold = [label for _, label in held_out]
    accuracy = sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold)
    largest = Counter(label for _, label in train_part).most_common(1)[0][0]
    baseline = sum(g == largest for g in gold) / len(gold)
    assert accuracy >= baseline + 0.5, (accuracy, baseline)


def test_a_fresh_database_has_an_active_model_trained_from_the_corpus(db):
    version = ModelVersion.objects.get(is_active=True)
    assert version.corpus_size == len(corpus_examples())
    assert version.history_size == 0
    assert 0 < version.cv_macro_f1 <= 1
    assert set(version.labels) >= {"stats", "budget", "inspection"}


def test_each_case_records_the_version_that_routed_it(organization):
    case = submit(subject="سالنامه آماری", body="آمار جمعیت شهرستان‌ها را می‌خواهم").case
    assert case.routing_model_version == ModelVersion.objects.get(is_active=True)


def test_routing_by_hand_and_answers_become_training_labels(organization, triage_operator, clerk):
    routed = submit(subject="سلام", body="؟").case
    route_case(routed, triage_operator, organization["legal"])
    answered = submit(topic_label="درخواست آمار و اطلاعات", subject="داده", body="فایل داده").case
    answer_case(answered, clerk, "پیوست شد")
    waiting = submit(topic_label="درخواست آمار و اطلاعات", subject="منتظر", body="هنوز پاسخ نگرفته").case
    labels = dict(history_examples())
    assert labels["سلام\n؟"] == "legal"
    assert labels["داده\nفایل داده"] == "stats"
    assert f"{waiting.subject}\n{waiting.body}" not in labels
    version = train(with_cv=False)
    assert version.history_size == 2
    assert version.is_active


def test_versions_are_kept_and_the_admin_can_roll_back(organization, administrator, signed_in):
    first = ModelVersion.objects.get(is_active=True)
    second = train(with_cv=False)
    assert active_model()[0].pk == second.pk
    activate_version(first)
    assert active_model()[0].pk == first.pk  # reloaded in this process without a restart
    assert ModelVersion.objects.filter(is_active=True).count() == 1
    response = signed_in(administrator).post(
        reverse("admin:routing_modelversion_changelist"),
        {"action": "activate", "_selected_action": [second.pk]},
    )
    assert response.status_code == 302
    assert ModelVersion.objects.get(is_active=True) == second


@pytest.mark.parametrize("method", [RoutingMethod.MODEL, RoutingMethod.LOW_CONFIDENCE, RoutingMethod.RULE])
def test_every_routing_method_has_a_label(method):
    assert str(RoutingMethod(method).label)


def test_the_fast_scoring_path_agrees_with_scikit_learn():
    examples = corpus_examples()
    classifier = TrainedClassifier.fit([t for t, _ in examples], [label for _, label in examples])
    for text, _ in examples[::40]:
        fast = classifier.predict(text)
        reference = classifier.pipeline.predict_proba([prepare(text)])[0]
        best = reference.argmax()
        assert fast.label == classifier.labels[best]
        assert abs(fast.confidence - reference[best]) < 1e-6


def test_large_training_sets_calibrate_on_a_holdout_and_still_agree(monkeypatch):
    import routing.classifier as classifier_module

    monkeypatch.setattr(classifier_module, "LARGE_TRAINING_SET", 100)
    examples = corpus_examples()
    classifier = TrainedClassifier.fit([t for t, _ in examples], [label for _, label in examples])
    for text, _ in examples[::60]:
        fast = classifier.predict(text)
        reference = classifier.pipeline.predict_proba([prepare(text)])[0]
        assert fast.label == classifier.labels[reference.argmax()]
        assert abs(fast.confidence - reference.max()) < 1e-6
    assert classifier.predict("لطفاً سالنامه آماری استان را بفرستید").label == "stats"


def test_the_large_set_path_survives_a_unit_too_rare_for_the_holdout(monkeypatch):
    import routing.classifier as classifier_module

    monkeypatch.setattr(classifier_module, "LARGE_TRAINING_SET", 100)
    examples = [*corpus_examples(), ("درخواست مجوز برگزاری همایش علمی", "events")]
    classifier = TrainedClassifier.fit([t for t, _ in examples], [label for _, label in examples])
    assert "events" in classifier.labels
    assert classifier.predict("لطفاً سالنامه آماری استان را بفرستید").label == "stats"


def test_periodic_retraining_learns_new_labels_once_and_respects_a_rollback(organization, clerk):
    from routing.tasks import retrain_routing_model

    initial = ModelVersion.objects.get(is_active=True)
    assert retrain_routing_model.call() is None  # nothing confirmed yet: the corpus model stays
    answer_case(submit(topic_label="درخواست آمار و اطلاعات", subject="داده", body="فایل داده").case, clerk, "پیوست شد")
    new_pk = retrain_routing_model.call()
    assert ModelVersion.objects.get(is_active=True).pk == new_pk != initial.pk
    assert ModelVersion.objects.get(pk=new_pk).history_size == 1
    activate_version(initial)  # an administrator rolls back
    assert retrain_routing_model.call() is None
    assert ModelVersion.objects.get(is_active=True) == initial


def test_a_retrained_model_that_cross_validates_clearly_worse_is_kept_inactive(organization, clerk):
    from routing.training import retrain_if_history_changed

    ModelVersion.objects.filter(is_active=True).update(cv_macro_f1=1.0)  # an active model no retraining can match
    answer_case(submit(topic_label="درخواست آمار و اطلاعات", subject="داده", body="فایل داده").case, clerk, "پیوست شد")
    version = retrain_if_history_changed()
    assert version.cv_macro_f1 < 0.98
    assert not ModelVersion.objects.get(pk=version.pk).is_active


def test_a_stored_model_predicts_the_same_after_loading_and_two_labels_work_too():
    import pickle

    examples = [(text, label) for text, label in corpus_examples() if label in ("stats", "budget")]
    classifier = TrainedClassifier.fit([t for t, _ in examples], [label for _, label in examples])
    loaded = pickle.loads(pickle.dumps(classifier))  # noqa: S301 (our own object, round-tripped)
    for text, _ in examples[::15]:
        reference = classifier.pipeline.predict_proba([prepare(text)])[0]
        for model in (classifier, loaded):
            prediction = model.predict(text)
            assert prediction.label == classifier.labels[reference.argmax()]
            assert abs(prediction.confidence - reference.max()) < 1e-6
    assert loaded.predict(examples[0][0]).evidence == classifier.predict(examples[0][0]).evidence
