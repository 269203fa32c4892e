from paint import fill, neighbours, region

GRID = [
    "aab",
    "abb",
    "ccb",
]


def test_neighbours_stay_on_the_grid():
    assert sorted(neighbours(GRID, (0, 0))) == [(0, 1), (1, 0)]


def test_region_follows_the_colour():
    assert region(GRID, (0, 2)) == {(0, 2), (1, 1), (1, 2), (2, 2)}


def test_a_lone_cell_is_its_own_region():
    assert region(["ab", "ba"], (0, 0)) == {(0, 0)}


def test_fill_paints_the_region():
    assert fill(GRID, (2, 0), "z") == [list("aab"), list("abb"), list("zzb")]
