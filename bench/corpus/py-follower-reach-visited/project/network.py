"""Who a post reaches in a follower network."""


def reach(follows, author):
    """Every member a post by `author` reaches through followers, the author included."""
    visited = set()
    queue = [author]
    while queue:
        member = queue.pop(0)
        if member in visited:
            continue
        queue.extend(follows.get(member, []))
    return visited


def audience_size(follows, author):
    """How many members besides the author a post reaches."""
    return len(reach(follows, author)) - 1


def mutual(follows, first, second):
    """Whether two members follow each other."""
    return second in follows.get(first, []) and first in follows.get(second, [])
