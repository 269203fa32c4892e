"""Plain-list matrix operations used by the report generator."""


class ShapeError(ValueError):
    pass


def shape(m):
    rows = len(m)
    cols = len(m[0]) if rows else 0
    for row in m:
        if len(row) != cols:
            raise ShapeError("ragged matrix")
    return rows, cols


def transpose(m):
    rows, cols = shape(m)
    return [[m[r][c] for r in range(rows)] for c in range(rows)]


def add(a, b):
    if shape(a) != shape(b):
        raise ShapeError(f"cannot add {shape(a)} and {shape(b)}")
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def multiply(a, b):
    ar, ac = shape(a)
    br, bc = shape(b)
    if ac != br:
        raise ShapeError(f"cannot multiply {ar}x{ac} by {br}x{bc}")
    cols_of_b = transpose(b)
    return [[sum(x * y for x, y in zip(row, col)) for col in cols_of_b] for row in a]


def identity(n):
    return [[1 if r == c else 0 for c in range(n)] for r in range(n)]
