from network import mutual, reach


def test_a_chain_is_reached():
    assert reach({"ann": ["bob"], "bob": ["cy"]}, "ann") == {"ann", "bob", "cy"}


def test_a_member_followed_twice_is_reached():
    follows = {"ann": ["bob", "cy"], "bob": ["dee"], "cy": ["dee"]}
    assert reach(follows, "ann") == {"ann", "bob", "cy", "dee"}


def test_a_lone_author_reaches_only_themselves():
    assert reach({}, "ann") == {"ann"}


def test_mutual_follows():
    follows = {"ann": ["bob"], "bob": ["ann"], "cy": ["ann"]}
    assert mutual(follows, "ann", "bob")
    assert not mutual(follows, "ann", "cy")
