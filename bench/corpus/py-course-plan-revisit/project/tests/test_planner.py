from planner import can_enrol, credits, remaining_courses

PREREQUISITES = {
    "ml": ["stats", "linear-algebra"],
    "stats": ["calculus"],
    "linear-algebra": ["calculus"],
    "calculus": [],
}


def test_direct_prerequisites_come_first():
    assert remaining_courses({"a": ["b"], "b": ["c"]}, "a", set()) == ["b", "c"]


def test_passed_courses_are_left_out():
    assert remaining_courses(PREREQUISITES, "stats", {"calculus"}) == []


def test_a_shared_prerequisite_is_listed_once():
    assert remaining_courses(PREREQUISITES, "ml", set()) == ["stats", "linear-algebra", "calculus"]


def test_credits_add_up():
    assert credits(["stats", "ml"], {"stats": 5, "ml": 7}) == 12


def test_enrolment_needs_every_prerequisite():
    assert not can_enrol(PREREQUISITES, "ml", {"stats"})
    assert can_enrol(PREREQUISITES, "ml", {"stats", "linear-algebra"})
