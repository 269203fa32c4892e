import pytest

from csvline import parse_rows, split_line, to_records


def test_plain_fields_are_split():
    assert split_line("a,b,c") == ["a", "b", "c"]


def test_empty_fields_are_kept():
    assert split_line("a,,c") == ["a", "", "c"]


def test_quoted_field_keeps_its_comma():
    assert split_line('name,"Smith, Jane",42') == ["name", "Smith, Jane", "42"]


def test_doubled_quotes_are_unescaped():
    assert split_line('"say ""hi"""') == ['say "hi"']


def test_unterminated_quote_is_an_error():
    with pytest.raises(ValueError):
        split_line('"open')


def test_blank_lines_are_skipped():
    assert parse_rows("x\n\ny\n") == [["x"], ["y"]]


def test_records_use_the_header():
    assert to_records("id,name\n1,Ann\n2,Bob") == [{"id": "1", "name": "Ann"}, {"id": "2", "name": "Bob"}]
