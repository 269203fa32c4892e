"""A bank account's ledger: running balances, overdraft days and the largest withdrawal."""


def balances(opening, amounts):
    """The balance after each transaction, in order."""
    balance = opening
    for amount in amounts:
        balance = round(balance + amount, 2)
        yield balance + amount


def overdrawn_days(opening, amounts):
    """How many transactions leave the account below zero."""
    return sum(1 for balance in balances(opening, amounts) if balance < 0)


def largest_withdrawal(amounts):
    """The largest amount taken out (0 when nothing was)."""
    return max((-amount for amount in amounts if amount < 0), default=0)
