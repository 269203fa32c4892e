from wordfreq import count_words, frequencies, tokens, top_terms


def test_tokens_are_lowercased():
    assert tokens("Red, red WINE") == ["red", "red", "wine"]


def test_counts_skip_stopwords():
    counts, _, skipped = count_words("the cat and the hat")
    assert counts == {"cat": 1, "hat": 1}
    assert skipped == 3


def test_total_counts_kept_words():
    _, total, _ = count_words("a b b c")
    assert total == 3


def test_frequencies_are_relative():
    assert frequencies("cat cat dog dog") == {"cat": 0.5, "dog": 0.5}


def test_top_terms_break_ties_alphabetically():
    assert top_terms("b a c b c d", 2) == ["b", "c"]
