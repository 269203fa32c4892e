import pytest

from matrix import ShapeError, add, identity, shape, transpose


def test_shape_of_rectangle():
    assert shape([[1, 2, 3], [4, 5, 6]]) == (2, 3)


def test_ragged_rows_are_rejected():
    with pytest.raises(ShapeError):
        shape([[1, 2], [3]])


def test_transpose_square():
    assert transpose([[1, 2], [3, 4]]) == [[1, 3], [2, 4]]


def test_transpose_wide_matrix():
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]


def test_add_elementwise():
    assert add([[1, 1]], [[2, 3]]) == [[3, 4]]


def test_identity():
    assert identity(2) == [[1, 0], [0, 1]]
