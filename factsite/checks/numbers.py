"""Exact decimal arithmetic, and numbers written as readers see them (31,335; −4.3%; 26.2350…)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN,
                traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
"""Exact sums and products: an operation that would round raises instead."""
# Rounding for display only; quantize never loses digits to the precision.
_ROUND = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN,
                 traps=[InvalidOperation, DivisionByZero, Overflow])

MINUS = "\N{MINUS SIGN}"
TIMES = "\N{MULTIPLICATION SIGN}"


def judge(stated: Decimal, num: Decimal, den: Decimal, subject: str,
          show: Callable[[Decimal], str]) -> tuple[bool, str]:
    """Judge stated against the exact value num/den (den > 0) at stated's written precision."""
    places = exponent(stated)
    gap = (num - stated * den).copy_abs()
    limit = Decimal(5).scaleb(places - 1) * den
    holds = gap <= limit
    exact = terminating(num, den)
    if gap == limit:
        assert exact is not None
        return holds, (f"{subject} {show(_strip(exact))} is exactly half a unit from it, "
                       f"the most its precision allows")
    if exact is not None and exact == exact.quantize(Decimal(1).scaleb(places), context=_ROUND):
        return holds, f"{subject} is {show(_strip(exact))}"
    rounded = _approximate(num, den, places).quantize(
        Decimal(1).scaleb(places), rounding=ROUND_HALF_UP, context=_ROUND)
    return holds, f"{subject} rounds to {show(rounded)} {_precision(places)}"


def quotient(num: Decimal, den: Decimal, stated_exponent: int) -> str:
    """Format num/den exactly when short, else as its first digits and an ellipsis."""
    near = _approximate(num, den, stated_exponent)
    places = max(3 - stated_exponent, 5 - near.adjusted(), 0)
    exact = terminating(num, den)
    if exact is not None and -exponent(_strip(exact)) <= places + 3:
        return figure(_strip(exact))
    return figure(near.quantize(Decimal(1).scaleb(-places), ROUND_DOWN, _ROUND)) + "…"


def terminating(num: Decimal, den: Decimal) -> Decimal | None:
    """Return num/den exactly if it is a terminating decimal, else None."""
    prec = len(num.as_tuple().digits) + 4 * len(den.as_tuple().digits) + 10
    try:
        return Context(prec=prec, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact]).divide(num, den)
    except Inexact:
        return None


def percent_of(difference: Decimal, reference: Decimal) -> str:
    """Format difference as a signed percentage of reference: one decimal, two digits at least."""
    if reference == 0:
        return ""
    percent = _approximate(difference * 100, reference, -4)
    places = min(-1, percent.adjusted() - 1) if percent else -1
    return signed(percent.quantize(Decimal(1).scaleb(places), ROUND_HALF_UP, _ROUND)) + "%"


def exponent(value: Decimal) -> int:
    """Return the exponent of a finite number: -1 for 26.2, 0 for 31335."""
    places = value.as_tuple().exponent
    assert isinstance(places, int)
    return places


def figure(value: Decimal) -> str:
    """Format a number as written, with thousands separators and a minus sign."""
    text = format(value.copy_abs(), ",f")
    return f"{MINUS}{text}" if value < 0 else text


def signed(value: Decimal) -> str:
    """Format a number with its sign, + included."""
    return f"+{figure(value)}" if value > 0 else figure(value)


def _approximate(num: Decimal, den: Decimal, places: int) -> Decimal:
    """Divide with 60 correct digits beyond the given exponent."""
    digits = max(num.adjusted() - den.adjusted() - places, 0) + 60
    return Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN).divide(num, den)


def _precision(places: int) -> str:
    if places > 0:
        return f"to the nearest {10 ** places:,}"
    if places == 0:
        return "as a whole number"
    words = {1: "one decimal", 2: "two decimals", 3: "three decimals", 4: "four decimals"}
    return "at " + words.get(-places, f"{-places} decimals")


def _strip(value: Decimal) -> Decimal:
    """Drop trailing zeros after the decimal point."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_ROUND)
    return value.normalize(_ROUND)
