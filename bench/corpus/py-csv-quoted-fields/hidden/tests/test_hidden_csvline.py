from csvline import split_line, to_records


def test_semicolon_separator_with_quotes():
    assert split_line('a;"b;c";d', sep=";") == ["a", "b;c", "d"]


def test_records_with_quoted_commas():
    assert to_records('city,note\nParis,"big, old"') == [{"city": "Paris", "note": "big, old"}]
