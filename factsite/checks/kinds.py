"""The kinds of check, one entry each: parameters, evaluation, and when the check holds.

This table is the only list of kinds. The project's model reads claims.yaml's checks and writes
their JSON Schema from it, the build evaluates checks through it, and the tests hold the
README's checks table to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from types import MappingProxyType

from ..core.fields import LINE, Choice, Date, FieldType, ListOf, Located, Number, Record, slug_text, spec
from .arithmetic import (
    RELATIONS,
    CheckOutcome,
    ParamProblem,
    compare_outcome,
    compare_problem,
    convert_outcome,
    convert_problem,
    date_span_outcome,
    date_span_problem,
    fraction_problem,
    percent_outcome,
    ratio_outcome,
    sum_outcome,
    sum_problem,
    unknown,
    weekday_outcome,
    weekday_problem,
)
from .dates import SPAN_UNITS, WEEKDAYS
from .numbers import EXACT
from .units import UNITS

EXPECTATIONS = ("holds", "fails")
"""What a check may declare in `expect`: `fails` documents a figure the claim gets wrong."""


@dataclass(frozen=True, kw_only=True)
class Part(Located):
    """One labelled term of a sum."""

    label: str = spec(LINE, "what the number counts")
    value: Decimal = spec(Number(), "the number")


@dataclass(frozen=True)
class Param:
    """One parameter of a kind of check: its key, field type and meaning, and whether it must be given."""

    name: str
    type: FieldType
    doc: str
    required: bool = True


@dataclass(frozen=True)
class Kind:
    """A kind of check: its parameters, how it is run, and when it holds, in the README's words."""

    name: str
    params: tuple[Param, ...]
    outcome: Callable[[Mapping[str, object]], CheckOutcome]
    """Computes the outcome from parameters that `problem` accepted."""
    problem: Callable[[Mapping[str, object]], ParamProblem]
    """Finds a parameter value that makes the check impossible to run."""
    holds_when: str
    """The "holds when" cell of the README's checks table."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the parameters' keys, in the order documented."""
        return tuple(param.name for param in self.params)


_UNIT = Choice(tuple(UNITS))

KINDS: Mapping[str, Kind] = MappingProxyType({kind.name: kind for kind in (
    Kind("convert", (
        Param("value", Number(), "the amount in the original unit"),
        Param("from", _UNIT, "the original unit"),
        Param("to", _UNIT, "the unit the claim states"),
        Param("stated", Number(), "the converted figure as stated"),
    ), convert_outcome, convert_problem,
        "the exact conversion rounds to `stated`. Units: mg g kg t oz lb; mm cm m km in ft yd mi; "
        "ml l m3 gal (US); m2 km2 ha acre; exact factors (1 lb = 0.45359237 kg)"),
    Kind("date_span", (
        Param("from", Date(), "the earlier date"),
        Param("to", Date(), "the later date"),
        Param("unit", Choice(SPAN_UNITS), "days, weeks, months or years"),
        Param("stated", Number(), "whole units elapsed, as stated"),
    ), date_span_outcome, date_span_problem,
        "`stated` whole units have elapsed; months are calendar months, clamped at month ends"),
    Kind("sum", (
        Param("parts", ListOf(Record(Part), min_items=1), "the labelled terms"),
        Param("stated", Number(), "the total as stated"),
    ), sum_outcome, sum_problem,
        "the parts add up to `stated`"),
    Kind("compare", (
        Param("stated", Number(), "the figure as stated"),
        Param("reference", Number(), "the figure in the cited source"),
        Param("source", slug_text(), "the id of the claim's source that gives the reference"),
        Param("relation", Choice(RELATIONS), "equal, about, at_most or at_least"),
        Param("tolerance", Number(), "for about: allowed difference in percent of the reference",
              required=False),
    ), compare_outcome, compare_problem,
        "`equal`: the reference matches at the stated precision; `about`: within `tolerance` percent; "
        "`at_most`: reference ≤ stated (\"as many as\"); `at_least`: reference ≥ stated"),
    Kind("weekday", (
        Param("date", Date(), "the date"),
        Param("stated", Choice(WEEKDAYS), "the weekday as stated, e.g. Thursday"),
    ), weekday_outcome, weekday_problem,
        "the date falls on that weekday"),
    Kind("percent", (
        Param("part", Number(), "the part"),
        Param("whole", Number(), "the whole"),
        Param("stated", Number(), "the share as stated, in percent"),
    ), percent_outcome, fraction_problem,
        "part / whole, in percent, rounds to `stated`"),
    Kind("ratio", (
        Param("part", Number(), "the part"),
        Param("whole", Number(), "the whole"),
        Param("stated", Number(), "the share as stated, as a decimal fraction"),
    ), ratio_outcome, fraction_problem,
        "part / whole, as a decimal fraction, rounds to `stated`"),
)})
"""Every kind of check, by name, in the order the README and the schema list them."""


def params_problem(kind: str, params: Mapping[str, object]) -> ParamProblem:
    """Return (key, message) for a value that makes a typed check impossible to run, or None."""
    if kind not in KINDS:
        return "kind", unknown("check kind", kind, KINDS)
    entry = KINDS[kind]
    for name in params:
        if name not in entry.keys:
            return name, f"unknown key '{name}' for a {kind} check. Known: " + ", ".join(entry.keys)
    for param in entry.params:
        if param.required and params.get(param.name) is None:
            return param.name, f"missing required key '{param.name}' for a {kind} check"
    return entry.problem(params)


def evaluate(kind: str, params: Mapping[str, object]) -> CheckOutcome:
    """Run one check on typed parameters; ValueError says why they cannot be run."""
    problem = params_problem(kind, params)
    if problem is not None:
        raise ValueError(f"{problem[0]}: {problem[1]}")
    with localcontext(EXACT):
        return KINDS[kind].outcome(params)


def behaves_as_declared(outcome: CheckOutcome, expect: str = "holds") -> bool:
    """Tell whether an outcome matches the check's `expect` (holds or fails)."""
    if expect not in EXPECTATIONS:
        raise ValueError(f"expect must be one of {', '.join(EXPECTATIONS)}, not {expect!r}")
    return outcome.holds == (expect == "holds")
