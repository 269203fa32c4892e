from textblock import render_table


def test_render_table_aligns_columns():
    table = render_table([["sku", "qty"], ["A-100", 7], ["B", 12]])
    assert table.split("\n") == ["sku    qty", "A-100  7", "B      12"]
