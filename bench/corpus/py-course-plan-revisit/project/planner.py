"""Plans which courses a student still has to take before a goal course."""

from collections import deque


def remaining_courses(prerequisites, goal, passed):
    """Courses to take before `goal`, nearest first, each listed once; courses in `passed` are left out."""
    needed = []
    seen = {goal}
    queue = deque([goal])
    while queue:
        course = queue.popleft()
        for before in prerequisites.get(course, []):
            if before not in passed:
                seen.add(before)
                needed.append(before)
                queue.append(before)
    return needed


def credits(courses, catalogue):
    """Total credits of the given courses."""
    return sum(catalogue[course] for course in courses)


def can_enrol(prerequisites, course, passed):
    """Whether every direct prerequisite of `course` is passed."""
    return all(before in passed for before in prerequisites.get(course, []))
