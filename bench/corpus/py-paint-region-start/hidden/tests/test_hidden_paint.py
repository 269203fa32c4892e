from paint import fill, region


def test_filling_a_lone_cell_changes_it():
    assert fill(["ab", "ba"], (1, 1), "q") == [list("ab"), list("bq")]


def test_region_size_of_a_uniform_grid():
    assert len(region(["xxx", "xxx"], (1, 2))) == 6


def test_single_cell_grid():
    assert region(["k"], (0, 0)) == {(0, 0)}
