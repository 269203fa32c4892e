"""Date helpers for invoices: due dates, overdue days and late fees."""

from datetime import date, timedelta

PAYMENT_TERMS_DAYS = 30
LATE_FEE_PER_DAY = 0.5
MAX_LATE_FEE = 25.0


def due_date(issued, terms=PAYMENT_TERMS_DAYS):
    return issued + timedelta(days=terms)


def days_between(start, end):
    return (end - start).days


def days_overdue(due, today):
    if today <= due:
        return 0
    return days_between(today, due)


def late_fee(due, today):
    fee = days_overdue(due, today) * LATE_FEE_PER_DAY
    return min(fee, MAX_LATE_FEE)


def month_end(day):
    first_next = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)
