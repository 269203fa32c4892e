import pytest

from configexpand import MissingVariable, expand, references, substitute

ENV = {"HOST": "db.local", "PORT": "5432"}


def test_substitute_plain_reference():
    assert substitute("${HOST}:${PORT}", ENV) == "db.local:5432"


def test_default_is_used_when_missing():
    assert substitute("${USER:-admin}", ENV) == "admin"


def test_missing_without_default_raises():
    with pytest.raises(MissingVariable):
        substitute("${SECRET}", ENV)


def test_lists_are_expanded():
    assert expand(["${HOST}", 3], ENV) == ["db.local", 3]


def test_nested_sections_are_expanded():
    config = {"database": {"url": "pg://${HOST}:${PORT}"}, "debug": False}
    assert expand(config, ENV) == {"database": {"url": "pg://db.local:5432"}, "debug": False}


def test_references_lists_names():
    assert references("${A}-${B:-x}") == ["A", "B"]
