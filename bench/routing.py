"""Routing figures for README.md: public benchmarks, the feature comparison, latency and training time.

Usage: .venv/bin/python bench/routing.py [public|compare|latency|scale|large|all]
The public data sets are read from ../shared/benchmarks/persian-text (or MIZ_SHARED_DIR); they are for
measurement only and are never shipped or trained into the product's model.
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("MIZ_SHARED_DIR", ROOT.parent / "shared"))
PUBLIC = SHARED / "benchmarks" / "persian-text"
FLOORS = {"atis": (0.924, 0.57), "armanemo": (0.500, 0.49), "parsinlu_food": (0.547, 0.53)}
PUBLISHED = {"atis": "97.65 % accuracy (JointBERT)", "armanemo": "macro-F1 75.39 (XLM-RoBERTa-large)"}


def read(path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["text"] for row in rows], [row["unit"] for row in rows]


def public():
    from sklearn.metrics import accuracy_score, f1_score

    from routing.classifier import TrainedClassifier, select_c

    print(
        "| data set | C (chosen by 3-fold CV on train) | accuracy | macro-F1 | floor (acc / F1) | published | train s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in ("atis", "armanemo", "parsinlu_food"):
        train_texts, train_labels = read(PUBLIC / name / "train.jsonl")
        test_texts, test_labels = read(PUBLIC / name / "test.jsonl")
        c = select_c(train_texts, train_labels)
        start = time.perf_counter()
        classifier = TrainedClassifier.fit(train_texts, train_labels, c=c)
        seconds = time.perf_counter() - start
        predicted = classifier.predict_many(test_texts)
        accuracy = accuracy_score(test_labels, predicted)
        macro = f1_score(test_labels, predicted, average="macro")
        floor = FLOORS[name]
        print(
            f"| {name} | {c} | {accuracy:.3f} | {macro:.3f} | {floor[0]:.3f} / {floor[1]:.2f} | "
            f"{PUBLISHED.get(name, '—')} | {seconds:.1f} |"
        )


def compare():
    from routing.classifier import FEATURE_SETS, cross_validate
    from routing.training import corpus_examples

    examples = corpus_examples()
    texts = [t for t, _ in examples]
    labels = [label for _, label in examples]
    print(f"5-fold cross-validation on the shipped corpus ({len(texts)} messages)")
    print("| features | C | accuracy | macro-F1 |")
    print("|---|---|---|---|")
    for features in FEATURE_SETS:
        for c in (0.3, 1.0, 3.0):
            figures = cross_validate(texts, labels, features, c)
            print(f"| {features} | {c} | {figures.accuracy:.3f} | {figures.macro_f1:.3f} |")


def _django():
    import tempfile

    workdir = tempfile.mkdtemp(prefix="miz-bench-")
    os.environ["MIZ_VAR_DIR"] = workdir
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "miz.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def latency(repeat: int = 2000):
    from cases.models import Case
    from routing.engine import route
    from routing.training import corpus_examples

    texts = [t for t, _ in corpus_examples()]
    for text in texts[:50]:
        route(Case(subject="", body=text))  # warm-up: the model is loaded once
    samples = []
    for index in range(repeat):
        case = Case(subject="", body=texts[index % len(texts)])
        start = time.perf_counter()
        route(case)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(
        f"route(case), full pipeline with its queries, {repeat} calls: median {statistics.median(samples):.2f} ms, "
        f"p95 {samples[int(repeat * 0.95)]:.2f} ms"
    )


def scale(size: int = 100_000):
    from routing.classifier import TrainedClassifier
    from routing.training import corpus_examples

    examples = corpus_examples()
    rng = random.Random(5)
    sample = [rng.choice(examples) for _ in range(size)]
    start = time.perf_counter()
    TrainedClassifier.fit([t for t, _ in sample], [label for _, label in sample])
    print(f"training on {size} cases (resampled corpus): {time.perf_counter() - start:.1f} s")
    # Harder: every case distinct, a corpus message joined with half of another message of the same unit.
    by_unit: dict[str, list[str]] = {}
    for text, label in examples:
        by_unit.setdefault(label, []).append(text)
    distinct = []
    for text, label in sample:
        other = rng.choice(by_unit[label]).split()
        distinct.append((f"{text} {' '.join(other[: len(other) // 2])} {rng.randrange(10**6)}", label))
    start = time.perf_counter()
    TrainedClassifier.fit([t for t, _ in distinct], [label for _, label in distinct])
    print(f"training on {size} distinct cases (recombined corpus): {time.perf_counter() - start:.1f} s")
    large_set_path()


def large_set_path():
    """What the large-set path (SGD, hold-out calibration) costs in accuracy, forced onto the public sets."""
    from sklearn.metrics import accuracy_score, f1_score

    import routing.classifier as classifier_module

    print("| data set | path | accuracy | macro-F1 |")
    print("|---|---|---|---|")
    default = classifier_module.LARGE_TRAINING_SET
    for name in ("atis", "armanemo", "parsinlu_food"):
        train_texts, train_labels = read(PUBLIC / name / "train.jsonl")
        test_texts, test_labels = read(PUBLIC / name / "test.jsonl")
        for path, threshold in (("LinearSVC, 3-fold calibration", default), ("SGD, hold-out calibration", 0)):
            classifier_module.LARGE_TRAINING_SET = threshold
            try:
                classifier = classifier_module.TrainedClassifier.fit(train_texts, train_labels, c=0.3)
            finally:
                classifier_module.LARGE_TRAINING_SET = default
            predicted = classifier.predict_many(test_texts)
            accuracy = accuracy_score(test_labels, predicted)
            print(f"| {name} | {path} | {accuracy:.3f} | {f1_score(test_labels, predicted, average='macro'):.3f} |")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    _django()
    if what in ("public", "all"):
        public()
    if what in ("compare", "all"):
        compare()
    if what in ("scale", "all"):
        scale()
    if what == "large":
        large_set_path()
    if what in ("latency", "all"):
        latency()
