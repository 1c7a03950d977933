"""The learned part of routing: TF-IDF features over normalized Persian text and a calibrated linear model.

Pure scikit-learn, no Django: `routing.training` feeds it, `routing.engine` asks it.
"""

import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from persian.text import normalize_text, to_latin_digits
from routing.ngrams import CharNgramTfidf, tfidf_row

_ZWNJ = "\u200c"


def prepare(text: str) -> str:
    """The classifier's view of a text: normalized letters, Latin digits, ZWNJ joined, lower case."""
    return to_latin_digits(normalize_text(text)).replace(_ZWNJ, "").casefold()


def _char_vectorizer() -> CharNgramTfidf:
    return CharNgramTfidf(ngram_range=(2, 5), max_features=300_000, dtype=np.float32)


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regular expression, not a secret)
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1,
        max_features=300_000,
        dtype=np.float32,
    )


FEATURE_SETS = {
    "char": lambda: _char_vectorizer(),
    "word": lambda: _word_vectorizer(),
    "char+word": lambda: FeatureUnion([("char", _char_vectorizer()), ("word", _word_vectorizer())]),
}
DEFAULT_FEATURES = "char+word"


def build_pipeline(features: str = DEFAULT_FEATURES, c: float = 1.0, calibration_folds: int = 3) -> Pipeline:
    """Features, then a linear SVM whose scores are calibrated (Platt) into probabilities."""
    svm = LinearSVC(C=c)
    return Pipeline(
        [
            ("features", FEATURE_SETS[features]()),
            ("model", CalibratedClassifierCV(svm, method="sigmoid", cv=calibration_folds, ensemble=False)),
        ]
    )


CALIBRATION_FOLDS = 3


def _pad_rare(texts: list[str], labels: np.ndarray, minimum: int) -> tuple[list[str], np.ndarray]:
    """Repeat the examples of labels seen fewer than `minimum` times, so calibration can split every label."""
    values, counts = np.unique(labels, return_counts=True)
    extra_texts, extra_labels = [], []
    for value, count in zip(values, counts, strict=True):
        if count < minimum:
            members = [text for text, label in zip(texts, labels, strict=True) if label == value]
            for index in range(minimum - count):
                extra_texts.append(members[index % len(members)])
                extra_labels.append(value)
    if not extra_texts:
        return texts, labels
    return texts + extra_texts, np.concatenate([labels, np.asarray(extra_labels, dtype=labels.dtype)])


# From this many distinct examples on, calibration uses a 10 % hold-out instead of 3-fold cross-validation
# (one fit instead of four, and a hold-out that large calibrates as well), and the linear SVM is fitted by
# stochastic gradient descent: the same hinge-loss model with the same regularization, in a third of
# liblinear's time on 100,000 cases (README gives both figures and the accuracy of each).
LARGE_TRAINING_SET = 20_000


def _large_set_svm(c: float, size: int) -> SGDClassifier:
    # SGD's alpha multiplies the mean loss's regularizer; LinearSVC's C the summed loss: alpha = 1 / (C * n).
    return SGDClassifier(loss="hinge", alpha=1.0 / (c * size), n_jobs=2, random_state=7)


def _fit_with_holdout(texts, labels, weights, features: str, c: float) -> Pipeline:
    vectorizer = FEATURE_SETS[features]()
    if isinstance(vectorizer, FeatureUnion):
        vectorizer.set_params(n_jobs=2)  # character and word n-grams side by side
    matrix = vectorizer.fit_transform(texts)
    if isinstance(vectorizer, FeatureUnion):
        vectorizer.set_params(n_jobs=None)  # routing one case never needs a second process
    fit_rows, calibration_rows = train_test_split(np.arange(len(texts)), test_size=0.1, stratify=labels, random_state=7)
    # A unit too rare to reach the hold-out still needs its sigmoid: calibrate on all of its examples.
    missing = np.setdiff1d(np.unique(labels), labels[calibration_rows])
    if len(missing):
        calibration_rows = np.concatenate([calibration_rows, np.flatnonzero(np.isin(labels, missing))])
    svm = _large_set_svm(c, len(fit_rows)).fit(matrix[fit_rows], labels[fit_rows], sample_weight=weights[fit_rows])
    calibrated = CalibratedClassifierCV(FrozenEstimator(svm), method="sigmoid")
    with warnings.catch_warnings():
        # The frozen SVM is not refitted, so weights only matter to the sigmoid: that is what we want.
        warnings.filterwarnings("ignore", message="Since FrozenEstimator does not appear to accept sample_weight")
        warnings.filterwarnings("ignore", message="The least populated class in y has only")
        calibrated.fit(matrix[calibration_rows], labels[calibration_rows], sample_weight=weights[calibration_rows])
    return Pipeline([("features", vectorizer), ("model", calibrated)])


@dataclass
class Prediction:
    label: str
    confidence: float
    runner_up: str | None
    runner_up_confidence: float
    evidence: list[str]
    # The uncalibrated one-vs-rest score of the best label: at or below 0 no unit's model claims the text,
    # which is what a greeting, a question mark or another language looks like.
    margin: float = 0.0


class TrainedClassifier:
    """A fitted pipeline with what routing needs from it: probabilities and the words that weighed most."""

    def __init__(self, pipeline: Pipeline, features: str):
        self.pipeline = pipeline
        self.features = features
        self.labels = list(pipeline.classes_)
        calibrated = pipeline.named_steps["model"].calibrated_classifiers_[0]
        self._svm = calibrated.estimator
        self._coef = calibrated.estimator.coef_
        self._feature_names = None
        for vectorizer in self._vectorizers_of(pipeline):
            if hasattr(vectorizer, "stop_words_"):
                # Only needed while fitting; dropping it keeps each stored version small.
                vectorizer.stop_words_ = None
        self._prepare_fast_path(calibrated)

    @staticmethod
    def _vectorizers_of(pipeline):
        features = pipeline.named_steps["features"]
        return [v for _, v in features.transformer_list] if isinstance(features, FeatureUnion) else [features]

    def __getstate__(self):
        # What the fast path derives (transposed weights, n-gram names, analyzers) is rebuilt on load, not stored.
        return {key: value for key, value in self.__dict__.items() if key in ("pipeline", "features", "labels")}

    def __setstate__(self, state):
        self.__init__(state["pipeline"], state["features"])

    def _names(self):
        if self._feature_names is None:
            self._feature_names = self.pipeline.named_steps["features"].get_feature_names_out()
        return self._feature_names

    def _prepare_fast_path(self, calibrated) -> None:
        """Routing one case must take a millisecond or two: the same arithmetic as scikit-learn's
        transform and predict_proba, without its per-call validation (a test pins the results equal)."""
        self._blocks = []
        offset = 0
        for vectorizer in self._vectorizers_of(self.pipeline):
            ngrams = vectorizer.ngrams if isinstance(vectorizer, CharNgramTfidf) else vectorizer.build_analyzer()
            idf = np.asarray(vectorizer.idf_, dtype=np.float64)
            self._blocks.append((ngrams, vectorizer.vocabulary_, idf, offset))
            offset += len(vectorizer.vocabulary_)
        self._width = offset
        self._coef_t = np.ascontiguousarray(self._coef.T, dtype=np.float64)
        self._intercept = np.asarray(self._svm.intercept_, dtype=np.float64)
        self._sigmoid_a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
        self._sigmoid_b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
        self._fast = len(self.labels) > 2 and all(hasattr(c, "a_") for c in calibrated.calibrators)

    def _row(self, prepared: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's feature columns and TF-IDF weights, every block side by side as the FeatureUnion has them."""
        parts = [tfidf_row(ngrams(prepared), vocabulary, idf) for ngrams, vocabulary, idf, _ in self._blocks]
        columns = np.concatenate([part[0] + offset for part, (*_, offset) in zip(parts, self._blocks, strict=True)])
        return columns, np.concatenate([part[1] for part in parts])

    def _scores(self, columns: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities and raw one-vs-rest margins of one row."""
        if not self._fast:
            vector = sp.csr_matrix((weights, columns, [0, len(columns)]), shape=(1, self._width))
            return self.pipeline.named_steps["model"].predict_proba(vector)[0], self._svm.decision_function(vector)[0]
        margins = weights @ self._coef_t[columns] + self._intercept
        probabilities = 1.0 / (1.0 + np.exp(self._sigmoid_a * margins + self._sigmoid_b))
        total = probabilities.sum()
        probabilities = probabilities / total if total > 0 else np.full_like(probabilities, 1 / len(probabilities))
        return probabilities, margins

    @classmethod
    def fit(cls, texts, labels, features: str = DEFAULT_FEATURES, c: float = 1.0) -> "TrainedClassifier":
        # The same message sent many times (a campaign, a resubmission) is one example with a weight:
        # the SVM's loss is the same, and training time follows the number of distinct messages.
        counts = Counter(zip((prepare(text) for text in texts), (str(label) for label in labels), strict=True))
        unique_texts = [text for text, _ in counts]
        unique_labels = np.asarray([label for _, label in counts])
        padded_texts, padded_labels = _pad_rare(unique_texts, unique_labels, CALIBRATION_FOLDS)
        weights = np.asarray(list(counts.values()) + [1] * (len(padded_texts) - len(counts)), dtype=np.float64)
        if len(padded_texts) >= LARGE_TRAINING_SET:
            return cls(_fit_with_holdout(padded_texts, padded_labels, weights, features, c), features)
        pipeline = build_pipeline(features, c, CALIBRATION_FOLDS)
        pipeline.fit(padded_texts, padded_labels, model__sample_weight=weights)
        return cls(pipeline, features)

    def predict(self, text: str, evidence: int = 4) -> Prediction:
        columns, weights = self._row(prepare(text))
        probabilities, margins = self._scores(columns, weights)
        order = np.argsort(probabilities)[::-1]
        best = order[0]
        second = order[1] if len(order) > 1 else None
        return Prediction(
            label=self.labels[best],
            confidence=float(probabilities[best]),
            runner_up=self.labels[second] if second is not None else None,
            runner_up_confidence=float(probabilities[second]) if second is not None else 0.0,
            evidence=self._evidence(columns, weights, best, evidence),
            margin=float(np.max(margins)) if np.ndim(margins) else float(abs(margins)),
        )

    def predict_many(self, texts) -> list[str]:
        return list(self.pipeline.predict([prepare(text) for text in texts]))

    def _evidence(self, columns: np.ndarray, weights: np.ndarray, label_index: int, count: int) -> list[str]:
        """The n-grams present in the text that pushed hardest toward the chosen label."""
        if not len(columns):
            return []
        coef = self._coef[label_index] if self._coef.shape[0] > 1 else self._coef[0] * (1 if label_index else -1)
        pushes = weights * coef[columns]
        found: list[str] = []
        for position in np.argsort(pushes)[::-1]:
            if pushes[position] <= 0 or len(found) >= count:
                break
            name = str(self._names()[columns[position]]).split("__", 1)[-1].strip()
            if name and not any(name in other or other in name for other in found):
                found.append(name)
        return found


@dataclass
class CrossValidation:
    accuracy: float
    macro_f1: float
    folds: int


def cross_validate(texts, labels, features: str = DEFAULT_FEATURES, c: float = 1.0, folds: int = 5, seed: int = 7):
    """Stratified k-fold figures of the whole pipeline; labels rarer than k are scored on the folds they reach."""
    labels = np.asarray(labels)
    prepared = [prepare(text) for text in texts]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = np.empty_like(labels)
    for train_index, test_index in splitter.split(prepared, labels):
        fold_texts, fold_labels = _pad_rare([prepared[i] for i in train_index], labels[train_index], CALIBRATION_FOLDS)
        pipeline = build_pipeline(features, c, CALIBRATION_FOLDS).fit(fold_texts, fold_labels)
        predicted[test_index] = pipeline.predict([prepared[i] for i in test_index])
    return CrossValidation(
        accuracy=float(accuracy_score(labels, predicted)),
        macro_f1=float(f1_score(labels, predicted, average="macro")),
        folds=folds,
    )


def select_c(texts, labels, features: str = DEFAULT_FEATURES, grid=(0.3, 1.0, 3.0), folds: int = 3) -> float:
    """The regularization that wins on macro-F1 under cross-validation of the training data alone."""
    scores = {c: cross_validate(texts, labels, features, c, folds=folds).macro_f1 for c in grid}
    return max(scores, key=scores.get)
