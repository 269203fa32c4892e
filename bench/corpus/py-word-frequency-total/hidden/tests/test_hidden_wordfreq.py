from wordfreq import frequencies


def test_frequencies_ignore_stopwords():
    assert frequencies("the sun and the moon and sun") == {"sun": 0.667, "moon": 0.333}
