from labels import label, truncate


def test_limit_of_one_is_just_the_ellipsis():
    assert truncate("abc", 1) == "…"


def test_label_combines_initials_and_title():
    assert label({"name": "Ada Lovelace", "title": "Chief Analytical Engineer"}) == "AL · Chief Analy…"
