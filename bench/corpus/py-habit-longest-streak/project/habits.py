"""Streaks of a habit tracker: one boolean per day, True when the habit was done."""


def current_streak(days):
    """Days in a row up to and including the last day."""
    streak = 0
    for done in reversed(days):
        if not done:
            break
        streak += 1
    return streak


def longest_streak(days):
    """The most days in a row the habit was done."""
    best = 0
    run = 0
    for done in days:
        if done:
            run += 1
            best = run
        else:
            run = 0
    return best


def completion_rate(days):
    """Share of days the habit was done, 0 for no days."""
    return sum(1 for done in days if done) / len(days) if days else 0
