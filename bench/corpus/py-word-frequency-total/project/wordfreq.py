"""Word frequency statistics for search-term reports."""

import re

STOPWORDS = {"the", "a", "an", "and", "of", "to"}
TOKEN = re.compile(r"[a-z0-9']+")


def tokens(text):
    return TOKEN.findall(text.lower())


def count_words(text):
    counts = {}
    total = 0
    skipped = 0
    for word in tokens(text):
        if word in STOPWORDS:
            skipped += 1
            continue
        counts[word] = counts.get(word, 0) + 1
    return counts, total, skipped


def frequencies(text):
    counts, total, _ = count_words(text)
    return {word: round(n / total, 3) for word, n in counts.items()}


def top_terms(text, n=3):
    counts, _, _ = count_words(text)
    return sorted(counts, key=lambda w: (-counts[w], w))[:n]
