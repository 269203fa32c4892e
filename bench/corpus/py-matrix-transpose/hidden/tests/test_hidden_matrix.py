from matrix import multiply, transpose


def test_transpose_tall_matrix():
    assert transpose([[1], [2], [3]]) == [[1, 2, 3]]


def test_multiply_rectangular():
    assert multiply([[1, 2, 3]], [[1], [2], [3]]) == [[14]]
    assert multiply([[1], [2]], [[3, 4]]) == [[3, 4], [6, 8]]
