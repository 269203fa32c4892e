import pytest

from labels import initials, short_id, truncate


def test_short_text_is_unchanged():
    assert truncate("hello", 10) == "hello"


def test_exact_length_is_unchanged():
    assert truncate("hello", 5) == "hello"


def test_long_text_is_cut_to_the_limit():
    result = truncate("quarterly report", 8)
    assert result == "quarter…"
    assert len(result) == 8


def test_zero_limit_is_rejected():
    with pytest.raises(ValueError):
        truncate("x", 0)


def test_initials_of_hyphenated_name():
    assert initials("mary-jane watson") == "MJW"


def test_short_id_drops_dashes():
    assert short_id("3f2a-77c1-90de") == "3f2a77c1"
