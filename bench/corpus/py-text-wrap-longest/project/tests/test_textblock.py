from textblock import column_widths, indent, render_table, wrap


def test_wrap_breaks_on_width():
    assert wrap("the quick brown fox", 9) == ["the quick", "brown fox"]


def test_wrap_keeps_long_words_whole():
    assert wrap("extraordinary cat", 5) == ["extraordinary", "cat"]


def test_column_widths_fit_the_widest_cell():
    assert column_widths([["id", "name"], ["1", "Alexandra"]]) == [2, 9]


def test_empty_table():
    assert column_widths([]) == []


def test_indent_skips_blank_lines():
    assert indent(["a", "", "b"]) == ["  a", "", "  b"]
