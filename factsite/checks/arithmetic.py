"""Each kind of check's computation, and the parameter values that make it impossible to run.

Every function takes a kind's typed parameters by name (see `kinds.KINDS`) and is pure. The
evaluators expect values their kind's problem function has accepted, and exact decimal
arithmetic (`numbers.EXACT`), as `kinds.evaluate` arranges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..core.errors import did_you_mean
from .dates import SPAN_UNITS, WEEKDAYS, add_months, long_date, months_between
from .numbers import MINUS, TIMES, exponent, figure, judge, percent_of, quotient, signed, terminating
from .units import BASE, UNITS, symbol

RELATIONS = ("equal", "about", "at_most", "at_least")

ParamProblem = tuple[str, str] | None
"""(the parameter at fault, what is wrong), or None when the parameters can be run."""


@dataclass(frozen=True)
class CheckOutcome:
    """Whether a check holds, and the lines that show readers how that was decided."""

    holds: bool
    inputs: tuple[tuple[str, str], ...]
    computation: str
    result: str
    exact: str


def unknown(what: str, word: str, known: Iterable[str]) -> str:
    """Say that a word is not one of the known ones: the closest if one is close, else all of them."""
    known = list(known)
    return f"unknown {what} '{word}'. " + (did_you_mean(word, known) or "Known: " + ", ".join(known))


def unit_problem(from_unit: str, to_unit: str) -> str | None:
    """Say why from_unit cannot be converted to to_unit, or return None if it can."""
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            return unknown("unit", unit, UNITS)
    source, target = UNITS[from_unit][0], UNITS[to_unit][0]
    if source != target:
        return (f"cannot convert {from_unit} ({source}) to {to_unit} ({target}). "
                f"Convert between two units of {source}: "
                + ", ".join(u for u, (dim, _) in UNITS.items() if dim == source))
    return None


# convert

def convert_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse unknown units and units of different quantities."""
    from_unit, to_unit = _text(params, "from"), _text(params, "to")
    problem = unit_problem(from_unit, to_unit)
    if problem is not None:
        return ("from" if from_unit not in UNITS else "to"), problem
    return None


def convert_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Convert `value` from one unit to another and judge `stated` against the exact result."""
    value, stated = _number(params, "value"), _number(params, "stated")
    source, target = _text(params, "from"), _text(params, "to")
    src, dst = symbol(source), symbol(target)
    dimension, from_factor = UNITS[source]
    to_factor, base = UNITS[target][1], symbol(BASE[dimension])
    ratio = terminating(from_factor, to_factor)
    if ratio is not None:
        steps = f"{TIMES} {figure(ratio)} {dst}/{src}"
        definition = f"1 {src} = {figure(ratio)} {dst}"
    else:
        factors = [(symbol(u), f) for u, f in ((source, from_factor), (target, to_factor)) if f != 1]
        definition = "; ".join(f"1 {unit} = {figure(factor)} {base}" for unit, factor in factors)
        steps = "" if from_factor == 1 else f"{TIMES} {figure(from_factor)} {base}/{src} "
        steps += f"÷ {figure(to_factor)} {base}/{dst}"
    num = value * from_factor
    exact = f"{quotient(num, to_factor, exponent(stated))} {dst}"
    holds, detail = judge(stated, num, to_factor, "the exact value", lambda d: f"{figure(d)} {dst}")
    return CheckOutcome(
        holds=holds,
        inputs=(("Value", f"{figure(value)} {src}"), ("Stated", f"{figure(stated)} {dst}"),
                ("Definition", f"{definition} (exact)")),
        computation=f"{figure(value)} {src} {steps} = {exact}",
        result=f"Stated {figure(stated)} {dst}; {detail}: {_verdict(holds)}",
        exact=exact,
    )


# date_span

def date_span_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse an unknown unit, dates in the wrong order, and a stated span in part units."""
    unit, stated = _text(params, "unit"), _number(params, "stated")
    if unit not in SPAN_UNITS:
        return "unit", unknown("unit", unit, SPAN_UNITS)
    start, end = _date(params, "from"), _date(params, "to")
    if end < start:
        return "to", f"'to' ({end}) is before 'from' ({start}). Swap the two dates"
    if stated < 0 or stated != stated.to_integral_value():
        return "stated", f"stated must be a whole number of {unit}, not {figure(stated)}"
    return None


def date_span_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Count the whole days, weeks, calendar months or years from `from` to `to`."""
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
        computation = f"{long_date(end)} {MINUS} {long_date(start)} = {_count(days, 'day')}"
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
        computation = f"From {long_date(start)}, {steps} {verb} {long_date(reached)}{clamped}"
        if rest:
            verb = "reaches" if rest == 1 else "reach"
            computation += f"; {_count(rest, 'more day')} {verb} {long_date(end)}"
    holds = stated == elapsed
    singular = unit[:-1]
    return CheckOutcome(
        holds=holds,
        inputs=(("From", long_date(start)), ("To", long_date(end)), ("Stated", _count(stated, singular))),
        computation=computation,
        result=f"Stated {_count(stated, singular)}; "
               f"{_count(elapsed, 'whole ' + singular)} elapsed: {_verdict(holds)}",
        exact=exact,
    )


# sum

def sum_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse a sum of nothing."""
    if not _parts(params):
        return "parts", "'parts' needs at least one part"
    return None


def sum_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Add up the labelled `parts` and judge `stated` against the total."""
    parts, stated = _parts(params), _number(params, "stated")
    total = sum((value for _, value in parts), Decimal(0))
    terms = figure(parts[0][1]) + "".join(
        f" {MINUS if value < 0 else '+'} {figure(value.copy_abs())}" for _, value in parts[1:])
    holds, detail = judge(stated, total, Decimal(1), "the sum", figure)
    return CheckOutcome(
        holds=holds,
        inputs=(*((label, figure(value)) for label, value in parts), ("Stated total", figure(stated))),
        computation=f"{terms} = {figure(total)}",
        result=f"Stated {figure(stated)}; {detail}: {_verdict(holds)}",
        exact=figure(total),
    )


# compare

def compare_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse an unknown relation, and a tolerance missing from `about` or given to another relation."""
    relation = _text(params, "relation")
    if relation not in RELATIONS:
        return "relation", unknown("relation", relation, RELATIONS)
    tolerance = params.get("tolerance")
    if relation == "about" and tolerance is None:
        return "relation", "relation 'about' needs 'tolerance', in percent of the reference"
    if relation != "about" and tolerance is not None:
        return "tolerance", "'tolerance' applies only to relation 'about'. Remove it"
    if tolerance is not None and _number(params, "tolerance") < 0:
        return "tolerance", "tolerance must be 0 or more (percent of the reference)"
    return None


def compare_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Compare the `stated` figure with the source's `reference` by the `relation`."""
    stated, reference = _number(params, "stated"), _number(params, "reference")
    relation = _text(params, "relation")
    inputs = [("Stated", figure(stated)), ("Reference", figure(reference)),
              ("Relation", relation.replace("_", " "))]
    if relation == "equal":
        holds, detail = judge(stated, reference, Decimal(1), "the reference", figure)
    elif relation == "about":
        tolerance = _number(params, "tolerance")
        inputs.append(("Tolerance", f"±{figure(tolerance)}%"))
        holds = 100 * (stated - reference).copy_abs() <= tolerance * reference.copy_abs()
        detail = f"{'within' if holds else 'outside'} the tolerance of ±{figure(tolerance)}%"
    elif relation == "at_most":
        holds = reference <= stated
        detail = f"the reference is {'not ' if holds else ''}above the stated maximum"
    else:
        holds = reference >= stated
        detail = f"the reference is {'not ' if holds else ''}below the stated minimum"
    difference = signed(stated - reference)
    relative = percent_of(stated - reference, reference)
    exact = difference + (f" ({relative})" if relative else "")
    return CheckOutcome(
        holds=holds,
        inputs=tuple(inputs),
        computation=f"{figure(stated)} {MINUS} {figure(reference)} = {difference}"
                    + (f", {relative} of {figure(reference)}" if relative else ""),
        result=f"Stated {figure(stated)}, reference {figure(reference)}: difference {exact}; "
               f"{detail}: {_verdict(holds)}",
        exact=exact,
    )


# weekday

def weekday_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse a day name that is not a weekday's, in English with a capital."""
    stated = _text(params, "stated")
    if stated not in WEEKDAYS:
        return "stated", unknown("weekday", stated, WEEKDAYS)
    return None


def weekday_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Find the weekday of `date` and judge `stated` against it."""
    day, stated = _date(params, "date"), _text(params, "stated")
    actual = WEEKDAYS[day.weekday()]
    holds = stated == actual
    return CheckOutcome(
        holds=holds,
        inputs=(("Date", long_date(day)), ("Stated", stated)),
        computation=f"{long_date(day)} is a {actual}",
        result=f"Stated {stated}; {long_date(day)} is a {actual}: {_verdict(holds)}",
        exact=actual,
    )


# percent and ratio

def fraction_problem(params: Mapping[str, object]) -> ParamProblem:
    """Refuse a share of nothing."""
    if _number(params, "whole") == 0:
        return "whole", "'whole' is 0, so there is no share to compute"
    return None


def percent_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Judge `stated` against part / whole in percent."""
    return _fraction(params, Decimal(100), "%")


def ratio_outcome(params: Mapping[str, object]) -> CheckOutcome:
    """Judge `stated` against part / whole as a decimal fraction."""
    return _fraction(params, Decimal(1), "")


def _fraction(params: Mapping[str, object], scale: Decimal, suffix: str) -> CheckOutcome:
    part, whole, stated = (_number(params, key) for key in ("part", "whole", "stated"))
    num, den = part * scale, whole
    if den < 0:
        num, den = num.copy_negate(), den.copy_negate()
    exact = quotient(num, den, exponent(stated)) + suffix
    holds, detail = judge(stated, num, den, "the exact value", lambda d: figure(d) + suffix)
    times = f" {TIMES} 100" if suffix else ""
    return CheckOutcome(
        holds=holds,
        inputs=(("Part", figure(part)), ("Whole", figure(whole)), ("Stated", figure(stated) + suffix)),
        computation=f"{figure(part)} ÷ {figure(whole)}{times} = {exact}",
        result=f"Stated {figure(stated)}{suffix}; {detail}: {_verdict(holds)}",
        exact=exact,
    )


# wording and typed parameters

def _count(amount: int, noun: str) -> str:
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


def _more(amount: int, noun: str) -> str:
    return f" {_count(amount, noun)}" if amount else ""


def _verdict(holds: bool) -> str:
    return "holds" if holds else "fails"


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
