import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from routing.classifier import prepare
from routing.ngrams import CharNgramTfidf
from routing.training import corpus_examples


def scikit_learn_char_wb(**options):
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False, dtype=np.float32, **options
    )


def assert_same_matrix(ours, reference):
    assert ours.shape == reference.shape
    assert abs(ours - reference).max() < 1e-6


def test_the_corpus_gets_the_same_columns_and_weights_as_scikit_learn():
    texts = [prepare(text) for text, _ in corpus_examples()]
    ours, reference = CharNgramTfidf(), scikit_learn_char_wb()
    assert_same_matrix(ours.fit_transform(texts), reference.fit_transform(texts))
    assert list(ours.get_feature_names_out()) == list(reference.get_feature_names_out())
    unseen = ["پیگیری  پرونده xyz ۱۲۳", "", "a", "🙂"]
    assert_same_matrix(ours.transform(unseen), reference.transform(unseen))


def test_max_features_keeps_the_most_frequent_n_grams():
    texts = ["آب آب آب نان", "آب نان سیب", "سیب آب"]
    ours, reference = CharNgramTfidf(max_features=5), scikit_learn_char_wb(max_features=5)
    assert_same_matrix(ours.fit_transform(texts), reference.fit_transform(texts))
    assert sorted(ours.vocabulary_) == sorted(reference.vocabulary_)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ابپتسیکگ ۱2\n\u200c", max_size=30), min_size=1, max_size=8))
def test_any_texts_give_the_same_matrix_as_scikit_learn(texts):
    if not any(text.split() for text in texts):
        return  # scikit-learn refuses an empty vocabulary; so does nobody's training set
    assert_same_matrix(CharNgramTfidf().fit_transform(texts), scikit_learn_char_wb().fit_transform(texts))
