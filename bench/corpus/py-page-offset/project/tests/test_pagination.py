import pytest

from pagination import PageError, normalize_size, page_count, paginate


def test_default_and_capped_sizes():
    assert normalize_size(None) == 20
    assert normalize_size(500) == 100


def test_zero_size_is_rejected():
    with pytest.raises(PageError):
        normalize_size(0)


def test_page_count_rounds_up():
    assert page_count(41, 20) == 3
    assert page_count(0, 20) == 1


def test_first_page_starts_at_first_item():
    result = paginate(list(range(50)), page=1, size=10)
    assert result["items"] == list(range(10))
    assert result["has_next"] is True


def test_page_zero_is_rejected():
    with pytest.raises(PageError):
        paginate([1, 2, 3], page=0)
