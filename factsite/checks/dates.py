"""Calendar arithmetic: whole months between dates, weekdays, and dates written out for readers."""

from __future__ import annotations

import calendar
import datetime as dt

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SPAN_UNITS = ("days", "weeks", "months", "years")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def add_months(start: dt.date, months: int) -> dt.date:
    """Add whole months, clamping to a shorter month's end (31 January + 1 month = 28 February)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Count whole months elapsed: the largest n with add_months(start, n) <= end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def long_date(day: dt.date) -> str:
    """Write a date out: 7 November 2019."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
