"""Bucket fill for a small paint program: the region of same-coloured cells around a click."""


def neighbours(grid, cell):
    """The cells above, below, left and right of `cell` that lie on the grid."""
    row, col = cell
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        r, c = row + dr, col + dc
        if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
            yield (r, c)


def region(grid, start):
    """Every cell connected to `start` through cells of its colour, `start` included."""
    colour = grid[start[0]][start[1]]
    found = set()
    pending = [start]
    while pending:
        cell = pending.pop()
        for near in neighbours(grid, cell):
            if near not in found and grid[near[0]][near[1]] == colour:
                found.add(near)
                pending.append(near)
    return found


def fill(grid, start, colour):
    """A copy of `grid` with the region around `start` painted `colour`."""
    painted = [list(row) for row in grid]
    for row, col in region(grid, start):
        painted[row][col] = colour
    return painted
