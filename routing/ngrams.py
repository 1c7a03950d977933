"""Character n-gram TF-IDF, the same numbers as scikit-learn's `char_wb` analyzer, computed once per word.

scikit-learn builds and counts every n-gram of every word of every text in Python, one at a time; on
100,000 cases that alone took about a minute. The n-grams of `char_wb` never cross a word boundary, so
a text's n-grams are the union of its words' n-grams, and words repeat: here each distinct word is cut
into n-grams once, and a text is assembled from its words' arrays of column numbers with numpy.
A test pins the matrix equal to TfidfVectorizer(analyzer="char_wb", sublinear_tf=True).
"""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize


def word_ngrams(word: str, low: int, high: int) -> list[str]:
    """The n-grams of one word padded with a space on each side, as scikit-learn's char_wb cuts them."""
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if size <= n:  # a short word counts once, whole
            grams.append(padded)
            break
        grams.extend(padded[start : start + n] for start in range(size - n + 1))
    return grams


def tfidf_row(grams, vocabulary: dict, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One text's columns and weights: sublinear TF times IDF, L2-normalized; unknown n-grams ignored."""
    known = np.fromiter((vocabulary[g] for g in grams if g in vocabulary), np.int64)
    columns, counts = np.unique(known, return_counts=True)
    weights = (np.log(counts) + 1) * idf[columns]
    norm = np.sqrt(np.dot(weights, weights))
    return columns, (weights / norm if norm > 0 else weights).astype(idf.dtype)


class CharNgramTfidf(TransformerMixin, BaseEstimator):
    """Sublinear TF-IDF of word-bounded character n-grams, L2-normalized rows."""

    def __init__(self, ngram_range=(2, 5), max_features=None, dtype=np.float32):
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.dtype = dtype

    def fit(self, texts, y=None):
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None):
        low, high = self.ngram_range
        vocabulary: dict[str, int] = {}
        columns_of_word: dict[str, np.ndarray] = {}

        def columns(word: str) -> np.ndarray:
            found = columns_of_word.get(word)
            if found is None:
                grams = word_ngrams(word, low, high)
                found = np.fromiter((vocabulary.setdefault(g, len(vocabulary)) for g in grams), np.int64, len(grams))
                columns_of_word[word] = found
            return found

        counts = self._count([[columns(word) for word in text.split()] for text in texts], len(vocabulary))
        counts, terms = self._sorted_and_limited(counts, vocabulary)
        self.vocabulary_ = {term: index for index, term in enumerate(terms)}
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = (np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1).astype(self.dtype)
        return self._weigh(counts)

    def ngrams(self, text: str) -> list[str]:
        low, high = self.ngram_range
        return [gram for word in text.split() for gram in word_ngrams(word, low, high)]

    def transform(self, texts):
        rows = [tfidf_row(self.ngrams(text), self.vocabulary_, self.idf_) for text in texts]
        if not rows:
            return sp.csr_matrix((0, len(self.vocabulary_)), dtype=self.dtype)
        indptr = np.concatenate([[0], np.cumsum([len(columns) for columns, _ in rows])])
        indices = np.concatenate([columns for columns, _ in rows])
        data = np.concatenate([weights for _, weights in rows])
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.vocabulary_)))

    def get_feature_names_out(self, input_features=None):
        names = np.empty(len(self.vocabulary_), dtype=object)
        for term, index in self.vocabulary_.items():
            names[index] = term
        return names

    def _count(self, rows: list[list[np.ndarray]], width: int) -> sp.csr_matrix:
        """One row per text from its words' column arrays; repeated columns are summed into counts."""
        flat = [np.concatenate(parts) if parts else np.empty(0, np.int64) for parts in rows]
        lengths = np.fromiter((len(part) for part in flat), np.int64, len(flat))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate(flat) if flat else np.empty(0, np.int64)
        counts = sp.csr_matrix((np.ones(len(indices), self.dtype), indices, indptr), shape=(len(flat), width))
        counts.sum_duplicates()
        return counts

    def _sorted_and_limited(self, counts, vocabulary):
        """Columns in alphabetical order, the most frequent `max_features` kept, ties broken as scikit-learn does."""
        terms = np.asarray(list(vocabulary), dtype=object)  # insertion order is column order
        keep = np.argsort(terms)
        if self.max_features is not None and len(terms) > self.max_features:
            totals = np.asarray(counts.sum(axis=0)).ravel()[keep]
            keep = keep[np.sort((-totals).argsort()[: self.max_features])]
        return counts[:, keep].tocsr(), terms[keep]

    def _weigh(self, counts):
        counts.data = (np.log(counts.data) + 1).astype(self.dtype)
        return normalize(counts @ sp.diags(self.idf_), norm="l2", copy=False).tocsr()
