"""Evaluate a claim's executable evidence: conversions, date spans, sums, comparisons, shares."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    localcontext,
)
from types import MappingProxyType
from typing import NamedTuple

# Exact sums and products: an operation that would round raises instead.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN,
                 traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
# Rounding for display only; quantize never loses digits to the precision.
_ROUND = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN,
                 traps=[InvalidOperation, DivisionByZero, Overflow])

# Each unit's quantity and its exact size in the SI unit of that quantity (kg, m, m3, m2).
UNITS: Mapping[str, tuple[str, Decimal]] = MappingProxyType({
    unit: (dimension, Decimal(factor)) for dimension, table in {
        "mass": {"mg": "0.000001", "g": "0.001", "kg": "1", "t": "1000",
                 "oz": "0.028349523125", "lb": "0.45359237"},
        "length": {"mm": "0.001", "cm": "0.01", "m": "1", "km": "1000",
                   "in": "0.0254", "ft": "0.3048", "yd": "0.9144", "mi": "1609.344"},
        "volume": {"ml": "0.000001", "l": "0.001", "m3": "1", "gal": "0.003785411784"},
        "area": {"m2": "1", "km2": "1000000", "ha": "10000", "acre": "4046.8564224"},
    }.items() for unit, factor in table.items()
})
_MINUS = "\N{MINUS SIGN}"
_TIMES = "\N{MULTIPLICATION SIGN}"
_SYMBOLS = {"m2": "m²", "km2": "km²", "m3": "m³", "gal": "US gal", "acre": "ac"}
_BASE = {"mass": "kg", "length": "m", "volume": "m3", "area": "m2"}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RELATIONS = ("equal", "about", "at_most", "at_least")
SPAN_UNITS = ("days", "weeks", "months", "years")
EXPECTATIONS = ("holds", "fails")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class KindParams(NamedTuple):
    """The parameter names a kind of check requires and accepts."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


KINDS: Mapping[str, KindParams] = MappingProxyType({
    "convert": KindParams(("value", "from", "to", "stated")),
    "date_span": KindParams(("from", "to", "unit", "stated")),
    "sum": KindParams(("parts", "stated")),
    "compare": KindParams(("stated", "reference", "source", "relation"), ("tolerance",)),
    "weekday": KindParams(("date", "stated")),
    "percent": KindParams(("part", "whole", "stated")),
    "ratio": KindParams(("part", "whole", "stated")),
})


@dataclass(frozen=True)
class CheckOutcome:
    """Whether a check holds, and the lines that show readers how that was decided."""

    holds: bool
    inputs: tuple[tuple[str, str], ...]
    computation: str
    result: str
    exact: str


def evaluate(kind: str, params: Mapping[str, object]) -> CheckOutcome:
    """Run one check on params the validator has already typed."""
    problem = params_problem(kind, params)
    if problem is not None:
        raise ValueError(f"{problem[0]}: {problem[1]}")
    with localcontext(_EXACT):
        return _EVALUATORS[kind](params)


def behaves_as_declared(outcome: CheckOutcome, expect: str = "holds") -> bool:
    """Tell whether an outcome matches the check's `expect` (holds or fails)."""
    if expect not in EXPECTATIONS:
        raise ValueError(f"expect must be one of {', '.join(EXPECTATIONS)}, not {expect!r}")
    return outcome.holds == (expect == "holds")


def unit_problem(from_unit: str, to_unit: str) -> str | None:
    """Say why from_unit cannot be converted to to_unit, or return None if it can."""
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            return f"unknown unit '{unit}'{_suggest(unit, UNITS)}"
    source, target = UNITS[from_unit][0], UNITS[to_unit][0]
    if source != target:
        return (f"cannot convert {from_unit} ({source}) to {to_unit} ({target}). "
                f"Convert between two units of {source}: "
                + ", ".join(u for u, (dim, _) in UNITS.items() if dim == source))
    return None


def params_problem(kind: str, params: Mapping[str, object]) -> tuple[str, str] | None:
    """Return (key, message) for a value that makes a typed check impossible to run, or None."""
    if kind not in KINDS:
        return "kind", f"unknown check kind '{kind}'{_suggest(kind, KINDS)}"
    if kind == "convert":
        from_unit, to_unit = _text(params, "from"), _text(params, "to")
        problem = unit_problem(from_unit, to_unit)
        if problem is not None:
            return ("from" if from_unit not in UNITS else "to"), problem
    elif kind == "date_span":
        unit, stated = _text(params, "unit"), _number(params, "stated")
        if unit not in SPAN_UNITS:
            return "unit", f"unknown unit '{unit}'{_suggest(unit, SPAN_UNITS)}"
        start, end = _date(params, "from"), _date(params, "to")
        if end < start:
            return "to", f"'to' ({end}) is before 'from' ({start}). Swap the two dates"
        if stated < 0 or stated != stated.to_integral_value():
            return "stated", f"stated must be a whole number of {unit}, not {_num(stated)}"
    elif kind == "compare":
        relation = _text(params, "relation")
        if relation not in RELATIONS:
            return "relation", f"unknown relation '{relation}'{_suggest(relation, RELATIONS)}"
        tolerance = params.get("tolerance")
        if relation == "about" and tolerance is None:
            return "relation", "relation 'about' needs 'tolerance', in percent of the reference"
        if relation != "about" and tolerance is not None:
            return "tolerance", "'tolerance' applies only to relation 'about'. Remove it"
        if tolerance is not None and _number(params, "tolerance") < 0:
            return "tolerance", "tolerance must be 0 or more (percent of the reference)"
    elif kind == "weekday":
        stated = _text(params, "stated")
        if stated not in WEEKDAYS:
            return "stated", f"unknown weekday '{stated}'{_suggest(stated, WEEKDAYS)}"
    elif kind in ("percent", "ratio") and _number(params, "whole") == 0:
        return "whole", "'whole' is 0, so there is no share to compute"
    elif kind == "sum" and not _parts(params):
        return "parts", "'parts' needs at least one part"
    return None


def add_months(start: dt.date, months: int) -> dt.date:
    """Add whole months, clamping to a shorter month's end (31 January + 1 month = 28 February)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Count whole months elapsed: the largest n with add_months(start, n) <= end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def _convert(params: Mapping[str, object]) -> CheckOutcome:
    value, stated = _number(params, "value"), _number(params, "stated")
    source, target = _text(params, "from"), _text(params, "to")
    src, dst = _sym(source), _sym(target)
    dimension, from_factor = UNITS[source]
    to_factor, base = UNITS[target][1], _sym(_BASE[dimension])
    ratio = _terminating(from_factor, to_factor)
    if ratio is not None:
        steps = f"{_TIMES} {_num(ratio)} {dst}/{src}"
        definition = f"1 {src} = {_num(ratio)} {dst}"
    else:
        factors = [(_sym(u), f) for u, f in ((source, from_factor), (target, to_factor)) if f != 1]
        definition = "; ".join(f"1 {unit} = {_num(factor)} {base}" for unit, factor in factors)
        steps = "" if from_factor == 1 else f"{_TIMES} {_num(from_factor)} {base}/{src} "
        steps += f"÷ {_num(to_factor)} {base}/{dst}"
    num = value * from_factor
    exact = f"{_quotient(num, to_factor, _exponent(stated))} {dst}"
    holds, detail = _judge(stated, num, to_factor, "the exact value", lambda d: f"{_num(d)} {dst}")
    return CheckOutcome(
        holds=holds,
        inputs=(("Value", f"{_num(value)} {src}"), ("Stated", f"{_num(stated)} {dst}"),
                ("Definition", f"{definition} (exact)")),
        computation=f"{_num(value)} {src} {steps} = {exact}",
        result=f"Stated {_num(stated)} {dst}; {detail}: {_verdict(holds)}",
        exact=exact,
    )


def _date_span(params: Mapping[str, object]) -> CheckOutcome:
    start, end = _date(params, "from"), _date(params, "to")
    unit, stated = _text(params, "unit"), int(_number(params, "stated"))
    days = (end - start).days
    months = months_between(start, end)
    reached = add_months(start, months)
    rest = (end - reached).days
    if unit in ("days", "weeks"):
        elapsed = days if unit == "days" else days // 7
        exact = _count(days, "day")
        if unit == "weeks":
            exact = _count(days // 7, "week") + _more(days % 7, "day")
        computation = f"{_day(end)} {_MINUS} {_day(start)} = {_count(days, 'day')}"
        if unit == "weeks":
            computation += f" = {exact}"
    else:
        elapsed = months if unit == "months" else months // 12
        steps = _count(months, "month")
        if unit == "years":
            steps = _count(months // 12, "year") + _more(months % 12, "month")
        exact = steps + _more(rest, "day")
        verb = "reaches" if steps in ("1 month", "1 year") else "reach"
        clamped = " (the month's last day)" if reached.day < start.day else ""
        computation = f"From {_day(start)}, {steps} {verb} {_day(reached)}{clamped}"
        if rest:
            verb = "reaches" if rest == 1 else "reach"
            computation += f"; {_count(rest, 'more day')} {verb} {_day(end)}"
    holds = stated == elapsed
    singular = unit[:-1]
    return CheckOutcome(
        holds=holds,
        inputs=(("From", _day(start)), ("To", _day(end)), ("Stated", _count(stated, singular))),
        computation=computation,
        result=f"Stated {_count(stated, singular)}; "
               f"{_count(elapsed, 'whole ' + singular)} elapsed: {_verdict(holds)}",
        exact=exact,
    )


def _sum(params: Mapping[str, object]) -> CheckOutcome:
    parts, stated = _parts(params), _number(params, "stated")
    total = sum((value for _, value in parts), Decimal(0))
    terms = _num(parts[0][1]) + "".join(
        f" {_MINUS if value < 0 else '+'} {_num(value.copy_abs())}" for _, value in parts[1:])
    holds, detail = _judge(stated, total, Decimal(1), "the sum", _num)
    return CheckOutcome(
        holds=holds,
        inputs=(*((label, _num(value)) for label, value in parts), ("Stated total", _num(stated))),
        computation=f"{terms} = {_num(total)}",
        result=f"Stated {_num(stated)}; {detail}: {_verdict(holds)}",
        exact=_num(total),
    )


def _compare(params: Mapping[str, object]) -> CheckOutcome:
    stated, reference = _number(params, "stated"), _number(params, "reference")
    relation = _text(params, "relation")
    inputs = [("Stated", _num(stated)), ("Reference", _num(reference)),
              ("Relation", relation.replace("_", " "))]
    if relation == "equal":
        holds, detail = _judge(stated, reference, Decimal(1), "the reference", _num)
    elif relation == "about":
        tolerance = _number(params, "tolerance")
        inputs.append(("Tolerance", f"±{_num(tolerance)}%"))
        holds = 100 * (stated - reference).copy_abs() <= tolerance * reference.copy_abs()
        detail = f"{'within' if holds else 'outside'} the tolerance of ±{_num(tolerance)}%"
    elif relation == "at_most":
        holds = reference <= stated
        detail = f"the reference is {'not ' if holds else ''}above the stated maximum"
    else:
        holds = reference >= stated
        detail = f"the reference is {'not ' if holds else ''}below the stated minimum"
    difference = _signed(stated - reference)
    share = _share(stated - reference, reference)
    exact = difference + (f" ({share})" if share else "")
    return CheckOutcome(
        holds=holds,
        inputs=tuple(inputs),
        computation=f"{_num(stated)} {_MINUS} {_num(reference)} = {difference}"
                    + (f", {share} of {_num(reference)}" if share else ""),
        result=f"Stated {_num(stated)}, reference {_num(reference)}: difference {exact}; "
               f"{detail}: {_verdict(holds)}",
        exact=exact,
    )


def _weekday(params: Mapping[str, object]) -> CheckOutcome:
    day, stated = _date(params, "date"), _text(params, "stated")
    actual = WEEKDAYS[day.weekday()]
    holds = stated == actual
    return CheckOutcome(
        holds=holds,
        inputs=(("Date", _day(day)), ("Stated", stated)),
        computation=f"{_day(day)} is a {actual}",
        result=f"Stated {stated}; {_day(day)} is a {actual}: {_verdict(holds)}",
        exact=actual,
    )


def _percent(params: Mapping[str, object]) -> CheckOutcome:
    return _share_check(params, Decimal(100), "%")


def _ratio(params: Mapping[str, object]) -> CheckOutcome:
    return _share_check(params, Decimal(1), "")


def _share_check(params: Mapping[str, object], scale: Decimal, suffix: str) -> CheckOutcome:
    part, whole, stated = (_number(params, key) for key in ("part", "whole", "stated"))
    num, den = part * scale, whole
    if den < 0:
        num, den = num.copy_negate(), den.copy_negate()
    exact = _quotient(num, den, _exponent(stated)) + suffix
    holds, detail = _judge(stated, num, den, "the exact value", lambda d: _num(d) + suffix)
    times = f" {_TIMES} 100" if suffix else ""
    return CheckOutcome(
        holds=holds,
        inputs=(("Part", _num(part)), ("Whole", _num(whole)), ("Stated", _num(stated) + suffix)),
        computation=f"{_num(part)} ÷ {_num(whole)}{times} = {exact}",
        result=f"Stated {_num(stated)}{suffix}; {detail}: {_verdict(holds)}",
        exact=exact,
    )


_EVALUATORS: dict[str, Callable[[Mapping[str, object]], CheckOutcome]] = {
    "convert": _convert, "date_span": _date_span, "sum": _sum, "compare": _compare,
    "weekday": _weekday, "percent": _percent, "ratio": _ratio,
}


def _judge(stated: Decimal, num: Decimal, den: Decimal, subject: str,
           show: Callable[[Decimal], str]) -> tuple[bool, str]:
    """Judge stated against the exact value num/den (den > 0) at stated's written precision."""
    exponent = _exponent(stated)
    gap = (num - stated * den).copy_abs()
    limit = Decimal(5).scaleb(exponent - 1) * den
    holds = gap <= limit
    exact = _terminating(num, den)
    if gap == limit:
        assert exact is not None
        return holds, (f"{subject} {show(_strip(exact))} is exactly half a unit from it, "
                       f"the most its precision allows")
    if exact is not None and exact == exact.quantize(Decimal(1).scaleb(exponent), context=_ROUND):
        return holds, f"{subject} is {show(_strip(exact))}"
    rounded = _approximate(num, den, exponent).quantize(
        Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP, context=_ROUND)
    return holds, f"{subject} rounds to {show(rounded)} {_precision(exponent)}"


def _quotient(num: Decimal, den: Decimal, stated_exponent: int) -> str:
    """Format num/den exactly when short, else as its first digits and an ellipsis."""
    near = _approximate(num, den, stated_exponent)
    places = max(3 - stated_exponent, 5 - near.adjusted(), 0)
    exact = _terminating(num, den)
    if exact is not None and -_exponent(_strip(exact)) <= places + 3:
        return _num(_strip(exact))
    return _num(near.quantize(Decimal(1).scaleb(-places), ROUND_DOWN, _ROUND)) + "…"


def _approximate(num: Decimal, den: Decimal, exponent: int) -> Decimal:
    """Divide with 60 correct digits beyond the given exponent."""
    digits = max(num.adjusted() - den.adjusted() - exponent, 0) + 60
    return Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN).divide(num, den)


def _terminating(num: Decimal, den: Decimal) -> Decimal | None:
    """Return num/den exactly if it is a terminating decimal, else None."""
    prec = len(num.as_tuple().digits) + 4 * len(den.as_tuple().digits) + 10
    try:
        return Context(prec=prec, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact]).divide(num, den)
    except Inexact:
        return None


def _share(difference: Decimal, reference: Decimal) -> str:
    """Format difference as a signed percentage of reference: one decimal, two digits at least."""
    if reference == 0:
        return ""
    percent = _approximate(difference * 100, reference, -4)
    exponent = min(-1, percent.adjusted() - 1) if percent else -1
    return _signed(percent.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP, _ROUND)) + "%"


def _precision(exponent: int) -> str:
    if exponent > 0:
        return f"to the nearest {10 ** exponent:,}"
    if exponent == 0:
        return "as a whole number"
    words = {1: "one decimal", 2: "two decimals", 3: "three decimals", 4: "four decimals"}
    return "at " + words.get(-exponent, f"{-exponent} decimals")


def _exponent(value: Decimal) -> int:
    """Return the exponent of a finite number: -1 for 26.2, 0 for 31335."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return exponent


def _strip(value: Decimal) -> Decimal:
    """Drop trailing zeros after the decimal point."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_ROUND)
    return value.normalize(_ROUND)


def _num(value: Decimal) -> str:
    """Format a number as written, with thousands separators and a minus sign."""
    text = format(value.copy_abs(), ",f")
    return f"{_MINUS}{text}" if value < 0 else text


def _signed(value: Decimal) -> str:
    return f"+{_num(value)}" if value > 0 else _num(value)


def _sym(unit: str) -> str:
    return _SYMBOLS.get(unit, unit)


def _day(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _count(amount: int, noun: str) -> str:
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


def _more(amount: int, noun: str) -> str:
    return f" {_count(amount, noun)}" if amount else ""


def _verdict(holds: bool) -> str:
    return "holds" if holds else "fails"


def _suggest(word: str, known: Mapping[str, object] | tuple[str, ...]) -> str:
    close = [k for k in known if k.lower() == word.lower()]
    close = close or difflib.get_close_matches(word, list(known), n=1)
    if close:
        return f". Did you mean '{close[0]}'?"
    return ". Known: " + ", ".join(known)


def _number(params: Mapping[str, object], key: str) -> Decimal:
    value = params[key]
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{key} must be a finite Decimal, not {value!r}")
    return value


def _text(params: Mapping[str, object], key: str) -> str:
    value = params[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a str, not {value!r}")
    return value


def _date(params: Mapping[str, object], key: str) -> dt.date:
    value = params[key]
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{key} must be a date, not {value!r}")
    return value


def _parts(params: Mapping[str, object]) -> list[tuple[str, Decimal]]:
    """Read parts given as (label, value) pairs or as records with .label and .value."""
    raw = params["parts"]
    if not isinstance(raw, (list, tuple)):
        raise TypeError(f"parts must be a list, not {raw!r}")
    parts = []
    for part in raw:
        label, value = part if isinstance(part, tuple) else (part.label, part.value)
        parts.append((_text({"label": label}, "label"), _number({"value": value}, "value")))
    return parts
