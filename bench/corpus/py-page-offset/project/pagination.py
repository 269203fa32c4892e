"""Offset pagination for list endpoints."""

import math

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageError(ValueError):
    pass


def normalize_size(size):
    if size is None:
        return DEFAULT_PAGE_SIZE
    if size < 1:
        raise PageError(f"page size must be positive, got {size}")
    return min(size, MAX_PAGE_SIZE)


def page_count(total, size):
    return max(1, math.ceil(total / size))


def page_offset(page, size):
    if page < 1:
        raise PageError(f"pages start at 1, got {page}")
    return page * size


def paginate(items, page=1, size=None):
    size = normalize_size(size)
    start = page_offset(page, size)
    return {
        "items": items[start:start + size],
        "page": page,
        "pages": page_count(len(items), size),
        "has_next": start + size < len(items),
    }
