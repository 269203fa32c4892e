"""Short labels for the dashboard: truncation, initials and identifiers."""

ELLIPSIS = "…"


def truncate(text, limit):
    """Shorten text to at most `limit` characters, marking the cut with an ellipsis."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return text
    return text[:limit] + ELLIPSIS


def initials(name):
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:3])


def short_id(identifier, size=8):
    return identifier.replace("-", "")[:size]


def label(user, limit=12):
    return f"{initials(user['name'])} · {truncate(user['title'], limit)}"
