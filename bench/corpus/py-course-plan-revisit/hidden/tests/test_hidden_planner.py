from planner import remaining_courses


def test_diamond_with_a_passed_branch():
    prerequisites = {"top": ["left", "right"], "left": ["base"], "right": ["base"], "base": []}
    assert remaining_courses(prerequisites, "top", {"right"}) == ["left", "base"]


def test_deep_shared_chain_each_once():
    prerequisites = {"x": ["a", "b", "c"], "a": ["z"], "b": ["z"], "c": ["z"], "z": ["y"], "y": []}
    assert remaining_courses(prerequisites, "x", set()) == ["a", "b", "c", "z", "y"]


def test_no_prerequisites_means_nothing_to_take():
    assert remaining_courses({"intro": []}, "intro", set()) == []
