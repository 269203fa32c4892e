from network import audience_size, reach


def test_audience_counts_each_member_once():
    follows = {"a": ["b", "c", "d"], "b": ["e"], "c": ["e"], "d": ["e"], "e": []}
    assert audience_size(follows, "a") == 4


def test_followers_of_others_are_not_reached():
    follows = {"a": ["b"], "c": ["a", "d"]}
    assert reach(follows, "a") == {"a", "b"}
