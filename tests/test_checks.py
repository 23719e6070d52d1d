"""Executable evidence: each kind of check on the article's real figures, and its invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factsite.checks.arithmetic import CheckOutcome, unit_problem
from factsite.checks.dates import add_months, months_between
from factsite.checks.kinds import EXPECTATIONS, KINDS, Part, behaves_as_declared, evaluate, params_problem
from factsite.checks.units import UNITS
from factsite.core.errors import Problems, did_you_mean
from factsite.core.fields import INVALID, model_fields
from factsite.core.nodes import parse_yaml
from factsite.project.model import Check, CheckRecord
from factsite.project.schema import claims_schema

D = Decimal
MINUS = "\N{MINUS SIGN}"


def convert(value: str, from_unit: str, to_unit: str, stated: str) -> CheckOutcome:
    return evaluate("convert", {"value": D(value), "from": from_unit, "to": to_unit,
                                "stated": D(stated)})


def span(start: dt.date, end: dt.date, unit: str, stated: int) -> CheckOutcome:
    return evaluate("date_span", {"from": start, "to": end, "unit": unit, "stated": D(stated)})


def compare(stated: str, reference: str, relation: str, **extra: Decimal) -> CheckOutcome:
    return evaluate("compare", {"stated": D(stated), "reference": D(reference),
                                "source": "cdc-2020", "relation": relation, **extra})


def share(kind: str, part: str, whole: str, stated: str) -> CheckOutcome:
    return evaluate(kind, {"part": D(part), "whole": D(whole), "stated": D(stated)})


ARREST, ARTICLE = dt.date(2018, 12, 1), dt.date(2019, 11, 7)


# convert

def test_fentanyl_kilograms_match_the_stated_pounds() -> None:
    outcome = convert("11.9", "kg", "lb", "26.2")
    assert outcome.holds
    assert outcome.inputs == (("Value", "11.9 kg"), ("Stated", "26.2 lb"),
                              ("Definition", "1 lb = 0.45359237 kg (exact)"))
    assert outcome.computation == "11.9 kg ÷ 0.45359237 kg/lb = 26.2350… lb"
    assert outcome.result == (
        "Stated 26.2 lb; the exact value rounds to 26.2 lb at one decimal: holds")
    assert outcome.exact == "26.2350… lb"


def test_other_substances_match_the_stated_pounds() -> None:
    assert convert("19.1", "kg", "lb", "42.1").holds


def test_a_wrong_pound_figure_fails_and_says_what_it_should_be() -> None:
    outcome = convert("11.9", "kg", "lb", "26.3")
    assert not outcome.holds
    assert outcome.result.endswith("rounds to 26.2 lb at one decimal: fails")


def test_a_stated_figure_holds_only_at_the_precision_written() -> None:
    # exact 26.2350092…: 26.2 covers 26.15-26.25, 26.20 only 26.195-26.205
    assert not convert("11.9", "kg", "lb", "26.20").holds
    assert convert("11.9", "kg", "lb", "26.24").holds
    assert not convert("11.9", "kg", "lb", "26.23").holds
    assert convert("11.9", "kg", "lb", "26").holds
    assert not convert("11.9", "kg", "lb", "27").holds


def test_half_a_unit_away_is_still_covered() -> None:
    on_edge = convert("26.25", "lb", "lb", "26.3")
    assert on_edge.holds
    assert "exactly half a unit" in on_edge.result
    assert convert("26.25", "lb", "lb", "26.2").holds
    assert not convert("26.2501", "lb", "lb", "26.2").holds


def test_an_exact_metric_conversion_shows_every_digit() -> None:
    outcome = convert("11.9", "kg", "g", "11900")
    assert outcome.holds
    assert outcome.computation == "11.9 kg × 1,000 g/kg = 11,900 g"
    assert outcome.result == "Stated 11,900 g; the exact value is 11,900 g: holds"


def test_a_conversion_without_a_short_factor_goes_through_the_definitions() -> None:
    outcome = convert("1", "yd", "mi", "0.0006")
    assert outcome.computation == "1 yd × 0.9144 m/yd ÷ 1,609.344 m/mi = 0.000568181… mi"
    assert ("Definition", "1 yd = 0.9144 m; 1 mi = 1,609.344 m (exact)") in outcome.inputs


@pytest.mark.parametrize(("value", "from_unit", "to_unit", "stated"), [
    ("1", "mi", "ft", "5280"), ("1", "lb", "oz", "16"), ("1", "gal", "l", "3.785411784"),
    ("1", "acre", "ha", "0.40468564224"), ("1", "t", "mg", "1000000000"),
    ("1", "m3", "ml", "1000000"), ("1", "in", "cm", "2.54"), ("1", "km2", "acre", "247.1"),
])
def test_unit_definitions_are_exact(value: str, from_unit: str, to_unit: str, stated: str) -> None:
    assert convert(value, from_unit, to_unit, stated).holds


def test_large_and_small_results_are_written_out_in_full() -> None:
    big = convert("1000000", "km", "mi", "621371")
    tiny = convert("5", "mg", "t", "0.000000005")
    assert big.holds and tiny.holds
    assert big.exact == "621,371.192… mi"
    assert tiny.exact == "0.000000005 t"
    for text in (big.computation, big.result, tiny.computation, tiny.result):
        assert "E" not in text


def test_units_of_different_quantities_cannot_be_converted() -> None:
    problem = unit_problem("kg", "m")
    assert problem is not None and "mass" in problem and "length" in problem
    assert params_problem("convert", {"value": D(1), "from": "kg", "to": "m",
                                      "stated": D(1)})[0] == "to"  # type: ignore[index]
    with pytest.raises(ValueError, match="cannot convert kg"):
        convert("1", "kg", "m", "1")


def test_an_unknown_unit_gets_a_suggestion() -> None:
    assert unit_problem("kgs", "lb") == "unknown unit 'kgs'. Did you mean 'kg'?"
    assert unit_problem("kg", "lb") is None


def test_every_unit_has_a_dimension_and_a_positive_factor() -> None:
    assert {dimension for dimension, _ in UNITS.values()} == {"mass", "length", "volume", "area"}
    assert all(factor > 0 for _, factor in UNITS.values())


# date_span

def test_the_huawei_arrest_was_eleven_months_before_the_article() -> None:
    outcome = span(ARREST, ARTICLE, "months", 11)
    assert outcome.holds
    assert outcome.exact == "11 months 6 days"
    assert outcome.computation == ("From 1 December 2018, 11 months reach 1 November 2019; "
                                   "6 more days reach 7 November 2019")
    assert outcome.result == "Stated 11 months; 11 whole months elapsed: holds"


def test_eleven_months_is_not_a_year() -> None:
    outcome = span(ARREST, ARTICLE, "years", 1)
    assert not outcome.holds
    assert outcome.result == "Stated 1 year; 0 whole years elapsed: fails"
    assert span(ARREST, ARTICLE, "years", 0).holds


def test_days_and_weeks_between_arrest_and_article() -> None:
    assert span(ARREST, ARTICLE, "days", 341).holds
    assert not span(ARREST, ARTICLE, "days", 340).holds
    weeks = span(ARREST, ARTICLE, "weeks", 48)
    assert weeks.holds
    assert weeks.computation == "7 November 2019 − 1 December 2018 = 341 days = 48 weeks 5 days"


@pytest.mark.parametrize(("start", "months", "reached"), [
    (dt.date(2019, 1, 31), 1, dt.date(2019, 2, 28)),
    (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),
    (dt.date(2019, 3, 31), 1, dt.date(2019, 4, 30)),
    (dt.date(2020, 2, 29), 12, dt.date(2021, 2, 28)),
    (dt.date(2019, 12, 15), 1, dt.date(2020, 1, 15)),
])
def test_adding_months_clamps_to_the_end_of_a_shorter_month(
        start: dt.date, months: int, reached: dt.date) -> None:
    assert add_months(start, months) == reached


def test_a_month_from_january_31_ends_on_the_last_day_of_february() -> None:
    outcome = span(dt.date(2019, 1, 31), dt.date(2019, 2, 28), "months", 1)
    assert outcome.holds
    assert "(the month's last day)" in outcome.computation
    assert span(dt.date(2019, 1, 31), dt.date(2019, 2, 27), "months", 0).holds


def test_a_leap_day_reaches_its_first_year_on_february_28() -> None:
    # 29 February 2020 + 12 months is clamped to 28 February 2021, so that day completes a year.
    leap = dt.date(2020, 2, 29)
    assert months_between(leap, dt.date(2021, 2, 27)) == 11
    assert months_between(leap, dt.date(2021, 2, 28)) == 12
    assert months_between(leap, dt.date(2021, 3, 1)) == 12
    assert span(leap, dt.date(2021, 2, 28), "years", 1).holds
    assert span(leap, dt.date(2021, 3, 1), "months", 12).exact == "12 months 1 day"


def test_a_span_must_run_forwards_in_whole_units() -> None:
    backwards = {"from": ARTICLE, "to": ARREST, "unit": "days", "stated": D(341)}
    assert params_problem("date_span", backwards) == (
        "to", "'to' (2018-12-01) is before 'from' (2019-11-07). Swap the two dates")
    fraction = {"from": ARREST, "to": ARTICLE, "unit": "months", "stated": D("11.5")}
    assert params_problem("date_span", fraction)[0] == "stated"  # type: ignore[index]
    with pytest.raises(ValueError):
        evaluate("date_span", backwards)


# sum

def test_nine_defendants_were_sentenced() -> None:
    parts = [("death, two-year reprieve", D(1)), ("life", D(2)), ("6 months to 10 years", D(6))]
    outcome = evaluate("sum", {"parts": parts, "stated": D(9)})
    assert outcome.holds
    assert outcome.computation == "1 + 2 + 6 = 9"
    assert outcome.inputs[-1] == ("Stated total", "9")
    assert not evaluate("sum", {"parts": parts, "stated": D(10)}).holds


def test_a_sum_accepts_part_records_and_writes_negative_terms_with_a_minus() -> None:
    @dataclass(frozen=True)
    class Part:
        label: str
        value: Decimal

    outcome = evaluate("sum", {"parts": [Part("in", D("11.9")), Part("out", D("-19.1"))],
                               "stated": D("-7.2")})
    assert outcome.holds
    assert outcome.computation == f"11.9 {MINUS} 19.1 = {MINUS}7.2"


# compare

def test_as_many_as_30000_understates_the_final_count() -> None:
    outcome = compare("30000", "31335", "at_most")
    assert not outcome.holds
    assert f"{MINUS}1,335" in outcome.result
    assert f"{MINUS}4.3%" in outcome.result
    assert outcome.exact == f"{MINUS}1,335 ({MINUS}4.3%)"
    assert outcome.computation == f"30,000 {MINUS} 31,335 = {MINUS}1,335, {MINUS}4.3% of 31,335"


def test_at_least_and_about_and_equal() -> None:
    assert compare("30000", "31335", "at_least").holds
    assert compare("30000", "31335", "about", tolerance=D(5)).holds
    assert not compare("30000", "31335", "about", tolerance=D(4)).holds
    assert compare("31335", "31335", "equal").holds
    assert compare("31.3", "31.335", "equal").holds
    assert not compare("31340", "31335", "equal").holds


def test_a_positive_difference_is_signed() -> None:
    assert compare("32000", "31335", "at_most").exact == "+665 (+2.1%)"


def test_a_zero_reference_has_no_percentage() -> None:
    outcome = compare("0", "0", "equal")
    assert outcome.holds
    assert outcome.exact == "0"


def test_tolerance_belongs_to_about_only() -> None:
    base = {"stated": D(1), "reference": D(1), "source": "s"}
    assert params_problem("compare", {**base, "relation": "about"})[0] == "relation"  # type: ignore[index]
    assert params_problem(
        "compare", {**base, "relation": "equal", "tolerance": D(5)})[0] == "tolerance"  # type: ignore[index]


# weekday

def test_the_article_ran_on_a_thursday() -> None:
    outcome = evaluate("weekday", {"date": ARTICLE, "stated": "Thursday"})
    assert outcome.holds
    assert outcome.computation == "7 November 2019 is a Thursday"
    assert not evaluate("weekday", {"date": ARTICLE, "stated": "Friday"}).holds
    assert evaluate("weekday", {"date": dt.date(2020, 2, 29), "stated": "Saturday"}).holds


def test_a_lowercase_weekday_gets_a_suggestion() -> None:
    problem = params_problem("weekday", {"date": ARTICLE, "stated": "thursday"})
    assert problem == ("stated", "unknown weekday 'thursday'. Did you mean 'Thursday'?")


# percent and ratio

def test_synthetic_opioids_were_46_5_percent_of_overdose_deaths() -> None:
    outcome = share("percent", "31335", "67367", "46.5")
    assert outcome.holds
    assert outcome.computation == "31,335 ÷ 67,367 × 100 = 46.5138…%"
    assert outcome.result == "Stated 46.5%; the exact value rounds to 46.5% at one decimal: holds"
    assert not share("percent", "31335", "67367", "46.6").holds
    assert share("percent", "31335", "67367", "47").holds


def test_the_same_share_as_a_ratio() -> None:
    outcome = share("ratio", "31335", "67367", "0.465")
    assert outcome.holds
    assert outcome.exact == "0.465138…"
    assert not share("ratio", "31335", "67367", "0.466").holds
    assert share("ratio", "31335", "67367", "0.47").holds


def test_a_share_of_a_negative_whole_and_of_nothing() -> None:
    assert share("percent", "-1", "-8", "12.5").holds
    assert params_problem("percent", {"part": D(1), "whole": D(0),
                                      "stated": D(1)})[0] == "whole"  # type: ignore[index]


# declared expectations

def test_expect_fails_documents_a_wrong_figure() -> None:
    wrong, right = convert("11.9", "kg", "lb", "26.3"), convert("11.9", "kg", "lb", "26.2")
    assert behaves_as_declared(wrong, "fails")
    assert not behaves_as_declared(wrong, "holds")
    assert behaves_as_declared(right, "holds")
    assert not behaves_as_declared(right, "fails")
    with pytest.raises(ValueError):
        behaves_as_declared(right, "passes")


# the registry of kinds: one entry each, and everything else follows from it

SAMPLES: dict[str, dict[str, str]] = {
    "convert": {"value": "11.9", "from": "kg", "to": "lb", "stated": "26.2"},
    "date_span": {"from": "2018-12-01", "to": "2019-11-07", "unit": "months", "stated": "11"},
    "sum": {"parts": "[{label: life, value: 2}, {label: prison, value: 6}]", "stated": "8"},
    "compare": {"stated": "30000", "reference": "31335", "source": "cdc-2020", "relation": "about",
                "tolerance": "5"},
    "weekday": {"date": "2019-11-07", "stated": "Thursday"},
    "percent": {"part": "31335", "whole": "67367", "stated": "46.5"},
    "ratio": {"part": "31335", "whole": "67367", "stated": "0.465"},
}
"""A check of each kind that holds, as claims.yaml would give its parameters."""


def read_check(kind: str, params: dict[str, str]) -> tuple[Check | None, list[str]]:
    """Read one check through the model; return it (None if refused) and the problems' headlines."""
    problems = Problems()
    text = "\n".join([f"kind: {kind}", *(f"{key}: {value}" for key, value in params.items())]) + "\n"
    node = parse_yaml(text, "check.yaml", problems)
    assert node is not None
    check = CheckRecord(Check).read(node, problems)
    return (None if check is INVALID else check), [p.headline() for p in problems.items]


def test_the_kinds_and_their_optional_parameters() -> None:
    assert list(KINDS) == ["convert", "date_span", "sum", "compare", "weekday", "percent", "ratio"]
    optional = {kind.name: [p.name for p in kind.params if not p.required] for kind in KINDS.values()}
    assert optional == {name: (["tolerance"] if name == "compare" else []) for name in KINDS}
    assert all(kind.holds_when and all(p.doc for p in kind.params) for kind in KINDS.values())
    assert params_problem("convrt", {}) == (
        "kind", "unknown check kind 'convrt'. Did you mean 'convert'?")
    assert params_problem("kilo", {})[1].endswith("Known: " + ", ".join(KINDS))  # type: ignore[index]


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_and_evaluates(kind: str) -> None:
    check, problems = read_check(kind, SAMPLES[kind])
    assert problems == []
    assert check is not None
    assert [name for name, _ in check.params] == list(KINDS[kind].keys)
    outcome = evaluate(kind, dict(check.params))
    assert outcome.holds, outcome.result
    assert outcome.computation and outcome.exact and outcome.inputs
    assert outcome.result.endswith(": holds")


@pytest.mark.parametrize("kind", KINDS)
def test_the_model_requires_every_required_parameter(kind: str) -> None:
    for param in KINDS[kind].params:
        params = {key: value for key, value in SAMPLES[kind].items() if key != param.name}
        check, problems = read_check(kind, params)
        if param.required:
            assert check is None
            assert problems == [f"check.yaml:1:1: error: missing required key '{param.name}' for a {kind} check. "
                                f"Add '{param.name}: ...' ({param.doc})."]
        else:  # an optional parameter may still be needed by another's value (compare's about)
            assert not any("missing required key" in problem for problem in problems)


@pytest.mark.parametrize("kind", KINDS)
def test_the_model_refuses_the_parameters_of_other_kinds(kind: str) -> None:
    foreign = sorted({p.name for other in KINDS.values() for p in other.params} - set(KINDS[kind].keys))
    assert foreign
    for key in foreign:
        check, problems = read_check(kind, {**SAMPLES[kind], key: "1"})
        assert check is None
        assert len(problems) == 1 and f"error: unknown key '{key}'" in problems[0]


def test_evaluate_refuses_missing_and_unknown_parameters() -> None:
    ok = {"date": ARTICLE, "stated": "Thursday"}
    assert evaluate("weekday", ok).holds
    assert params_problem("weekday", {"date": ARTICLE}) == (
        "stated", "missing required key 'stated' for a weekday check")
    assert params_problem("weekday", {**ok, "day": "Thursday"}) == (
        "day", "unknown key 'day' for a weekday check. Known: date, stated")
    with pytest.raises(ValueError, match="missing required key 'stated'"):
        evaluate("weekday", {"date": ARTICLE})


def test_the_schema_has_one_variant_per_kind_with_exactly_its_parameters() -> None:
    check = claims_schema()["$defs"]["Check"]
    common = [field.name for field in model_fields(Check)]
    variants = {variant["properties"]["kind"]["const"]: variant for variant in check["oneOf"]}
    assert list(variants) == list(KINDS)
    for kind in KINDS.values():
        variant = variants[kind.name]
        assert list(variant["properties"]) == common + list(kind.keys)
        assert variant["required"] == ["kind", *(p.name for p in kind.params if p.required)]
        assert variant["properties"]["expect"]["enum"] == list(EXPECTATIONS)
        for param in kind.params:
            assert variant["properties"][param.name] == {**param.type.schema(), "description": param.doc}


def test_sum_parts_are_read_as_part_records() -> None:
    check, _ = read_check("sum", SAMPLES["sum"])
    assert check is not None
    assert check.param("parts") == (Part(label="life", value=D(2)), Part(label="prison", value=D(6)))


def test_every_unit_is_named_where_convert_is_documented() -> None:
    named = set(KINDS["convert"].holds_when.replace(";", " ").split())
    assert set(UNITS) <= named


# did you mean

def test_a_suggestion_prefers_a_different_case_then_the_closest_spelling() -> None:
    assert did_you_mean("KG", ["g", "kg"]) == "Did you mean 'kg'?"
    assert did_you_mean("thursday", ["Tuesday", "Thursday"]) == "Did you mean 'Thursday'?"
    assert did_you_mean("convrt", KINDS) == "Did you mean 'convert'?"
    assert did_you_mean("xyz", ["kg", "lb"]) == ""


# properties

DIMENSION_PAIRS = [(a, b) for a, (da, _) in UNITS.items()
                   for b, (db, _) in UNITS.items() if da == db]
figures = st.builds(lambda n, places: D(n).scaleb(-places),
                    st.integers(1, 10**7), st.integers(0, 3))
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


def rounded(value: Fraction, exponent: int) -> Decimal:
    """Round an exact value to a decimal with the given exponent."""
    return D(round(value / Fraction(10) ** exponent)).scaleb(exponent)


@given(figures, st.sampled_from(DIMENSION_PAIRS))
def test_converting_there_and_back_returns_the_input(value: Decimal,
                                                     pair: tuple[str, str]) -> None:
    source, target = pair
    factor = Fraction(UNITS[source][1]) / Fraction(UNITS[target][1])
    # Fine enough that its rounding, converted back, stays within half a unit of value.
    magnitude = (D(factor.numerator) / D(factor.denominator)).adjusted()
    exponent = value.as_tuple().exponent + magnitude - 1
    there = rounded(Fraction(value) * factor, exponent)
    assert convert(str(value), source, target, str(there)).holds
    assert not convert(str(value), source, target, str(there + D(2).scaleb(exponent))).holds
    assert convert(str(there), target, source, str(value)).holds


@given(figures, st.sampled_from(DIMENSION_PAIRS))
def test_no_result_is_written_in_scientific_notation(value: Decimal,
                                                     pair: tuple[str, str]) -> None:
    outcome = convert(str(value), pair[0], pair[1], "1")
    texts = (outcome.computation, outcome.result, outcome.exact, *dict(outcome.inputs).values())
    for text in texts:
        assert "E+" not in text and "E-" not in text


@given(dates, dates)
def test_a_span_in_days_is_the_difference_of_the_dates(a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    days = (end - start).days
    assert span(start, end, "days", days).holds
    assert not span(start, end, "days", days + 1).holds
    assert span(start, end, "weeks", days // 7).holds


@given(dates, dates)
def test_a_month_span_is_the_largest_whole_number_of_months(a: dt.date, b: dt.date) -> None:
    start, end = min(a, b), max(a, b)
    months = months_between(start, end)
    assert add_months(start, months) <= end < add_months(start, months + 1)
    assert span(start, end, "months", months).holds
    assert not span(start, end, "months", months + 1).holds
    assert span(start, end, "years", months // 12).holds
    if start.day <= 28:  # no month-end clamping: plain calendar arithmetic agrees
        calendar_months = (end.year - start.year) * 12 + end.month - start.month
        assert months == calendar_months - (end.day < start.day)


@given(figures, figures)
def test_at_most_and_at_least_both_hold_only_when_equal(stated: Decimal,
                                                        reference: Decimal) -> None:
    at_most = compare(str(stated), str(reference), "at_most").holds
    at_least = compare(str(stated), str(reference), "at_least").holds
    assert at_most or at_least
    assert (at_most and at_least) == (stated == reference)


@given(figures, figures, figures)
def test_a_ratio_holds_exactly_when_the_same_share_in_percent_does(
        part: Decimal, whole: Decimal, stated: Decimal) -> None:
    ratio = share("ratio", str(part), str(whole), str(stated.scaleb(-4)))
    percent = share("percent", str(part), str(whole), str(stated.scaleb(-2)))
    assert ratio.holds == percent.holds
