from configexpand import expand


def test_deeply_nested_values():
    config = {"a": {"b": {"c": ["${X}", {"d": "${Y:-why}"}]}}}
    assert expand(config, {"X": "ex"}) == {"a": {"b": {"c": ["ex", {"d": "why"}]}}}


def test_non_string_leaves_untouched():
    assert expand({"n": 1, "f": None}, {}) == {"n": 1, "f": None}
