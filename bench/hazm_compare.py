"""Does hazm's tokenizer (or lemmatizer) make better word n-grams than our own `prepare()` + regex tokens?

hazm 0.10.0 pins numpy==1.24.3 (and pulls gensim, fasttext, nltk), so it cannot join the project venv;
bench/hazm_tokens.py tokenizes the texts in a side venv and this script, in the project venv, only reads
its JSON. Run (see bench/hazm_tokens.py for the side venv):

    /tmp/hazm-venv/bin/python bench/hazm_tokens.py [TOKENS_JSON]
    .venv/bin/python bench/hazm_compare.py [TOKENS_JSON]

Everything but the word tokens is the project's: the character part is `_char_vectorizer()` over
`prepare(text)`, the word part is `_word_vectorizer()` with only its tokenizer swapped, and the model is
the model step of `build_pipeline` (calibrated linear SVM, sigmoid, 3 folds; C=0.3). hazm tokens get prepare()'s
normalization token by token (letters, Latin digits, casefold) but keep their ZWNJ, and tokens without a
word character (punctuation) are dropped, as our token pattern drops them.
Shipped corpus: 5-fold StratifiedKFold (shuffle, random_state=7). Public sets: fit on train, score on test.
The last column counts the texts a hazm variant gets right and ours wrong (+) and the reverse (-), with the
exact McNemar p-value of that split: a change worth shipping would need a small p on more than one set.
"""

import json
import os
import re
import sys
from pathlib import Path

import numpy as np
from scipy.stats import binomtest
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("MIZ_SHARED_DIR", ROOT.parent / "shared"))
PUBLIC = SHARED / "benchmarks" / "persian-text"
DATA_SETS = ("atis", "armanemo", "parsinlu_food")
TOKENIZERS = ("ours", "hazm tokens", "hazm lemmas")
FEATURES = ("word", "char+word")
C = 0.3

from persian.text import normalize_text, to_latin_digits
from routing.classifier import CALIBRATION_FOLDS, _char_vectorizer, _pad_rare, _word_vectorizer, build_pipeline, prepare


# A document is (prepare(text), hazm tokens or None); each feature block selects its part.
def _prepared(documents):
    return [document[0] for document in documents]


def _tokens(documents):
    return [document[1] for document in documents]


def _as_is(tokens):
    return tokens


def build(features: str, tokenizer: str) -> Pipeline:
    """routing.classifier.build_pipeline, with the word tokenizer as the only change."""
    if tokenizer == "ours":
        word = make_pipeline(FunctionTransformer(_prepared), _word_vectorizer())
    else:
        # Pre-tokenized input: the same vectorizer settings, the token list used as it is.
        vectorizer = _word_vectorizer().set_params(tokenizer=_as_is, preprocessor=_as_is, token_pattern=None)
        word = make_pipeline(FunctionTransformer(_tokens), vectorizer.set_params(lowercase=False))
    parts = [("word", word)]
    if features == "char+word":
        parts.insert(0, ("char", make_pipeline(FunctionTransformer(_prepared), _char_vectorizer())))
    # The project's own model step (calibrated linear SVM), whatever it currently is.
    model = build_pipeline("word", C, CALIBRATION_FOLDS).named_steps["model"]
    return Pipeline([("features", FeatureUnion(parts)), ("model", model)])


def clean(tokens: list[str]) -> list[str]:
    """prepare() token by token, keeping the ZWNJ inside a token; punctuation-only tokens are dropped."""
    cleaned = (to_latin_digits(normalize_text(token)).casefold().strip() for token in tokens)
    return [token for token in cleaned if re.search(r"\w", token)]


def read(path: Path, hazm: list[dict], tokenizer: str):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == len(hazm), f"{path}: {len(rows)} lines but {len(hazm)} tokenized; rerun hazm_tokens.py"
    key = {"hazm tokens": "tokens", "hazm lemmas": "lemmas"}.get(tokenizer)
    documents = [(prepare(row["text"]), clean(h[key]) if key else None) for row, h in zip(rows, hazm, strict=True)]
    return documents, np.asarray([str(row["unit"]) for row in rows])


def fit_predict(features, tokenizer, train_docs, train_labels, test_docs):
    docs, labels = _pad_rare(list(train_docs), train_labels, CALIBRATION_FOLDS)
    return build(features, tokenizer).fit(docs, labels).predict(test_docs)


def predictions(hazm: dict, data: str, features: str, tokenizer: str):
    """True and predicted labels: 5-fold cross-validated on the shipped corpus, train/test on a public set."""
    if data == "corpus":
        docs, labels = read(ROOT / "routing" / "corpus" / "default.jsonl", hazm["default.jsonl"], tokenizer)
        predicted = np.empty_like(labels)
        for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=7).split(docs, labels):
            train_docs, test_docs = [docs[i] for i in train], [docs[i] for i in test]
            predicted[test] = fit_predict(features, tokenizer, train_docs, labels[train], test_docs)
        return labels, predicted
    train, train_labels = read(PUBLIC / data / "train.jsonl", hazm[f"{data}/train.jsonl"], tokenizer)
    test, test_labels = read(PUBLIC / data / "test.jsonl", hazm[f"{data}/test.jsonl"], tokenizer)
    return test_labels, fit_predict(features, tokenizer, train, train_labels, test)


def mcnemar(truth, ours, theirs) -> str:
    """Texts only one of the two got right, and the exact McNemar p-value of that split."""
    ours_only = int(np.sum((ours == truth) & (theirs != truth)))
    theirs_only = int(np.sum((theirs == truth) & (ours != truth)))
    p = binomtest(min(ours_only, theirs_only), ours_only + theirs_only).pvalue if ours_only + theirs_only else 1.0
    return f"+{theirs_only} / -{ours_only}, p={p:.2f}"


def main() -> None:
    tokens_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "bench" / "hazm_tokens.json"
    hazm = json.loads(tokens_path.read_text(encoding="utf-8"))
    model = build_pipeline("word", C, CALIBRATION_FOLDS).named_steps["model"]
    print(f"C={C}, model step of routing.classifier.build_pipeline: {model}")
    print("corpus = 5-fold cross-validation on routing/corpus/default.jsonl; public sets = train -> test")
    print("| data | features | tokenizer | accuracy | macro-F1 | vs ours: fixed / broken, McNemar |")
    print("|---|---|---|---|---|---|")
    for data in ("corpus", *DATA_SETS):
        for features in FEATURES:
            baseline = None
            for tokenizer in TOKENIZERS:
                truth, predicted = predictions(hazm, data, features, tokenizer)
                baseline = predicted if baseline is None else baseline
                accuracy, macro = accuracy_score(truth, predicted), f1_score(truth, predicted, average="macro")
                versus = "—" if tokenizer == "ours" else mcnemar(truth, baseline, predicted)
                print(f"| {data} | {features} | {tokenizer} | {accuracy:.3f} | {macro:.3f} | {versus} |", flush=True)


if __name__ == "__main__":
    main()
