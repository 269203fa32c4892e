from pagination import paginate, page_offset


def test_last_partial_page():
    result = paginate(list(range(25)), page=3, size=10)
    assert result["items"] == [20, 21, 22, 23, 24]
    assert result["has_next"] is False


def test_offsets_are_contiguous():
    assert [page_offset(p, 7) for p in (1, 2, 3)] == [0, 7, 14]
