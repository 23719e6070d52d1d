"""Re-run every claim's checks; report those that do not behave as declared."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks.arithmetic import CheckOutcome
from ..checks.kinds import behaves_as_declared, evaluate
from ..core.errors import Problem, Problems
from .model import Check, Claim, Project, Source
from .provenance import Provenance, trace_provenance


@dataclass(frozen=True)
class CheckResult:
    """A check of a claim and what re-running it gave."""

    check: Check
    outcome: CheckOutcome
    source: Source | None

    @property
    def as_declared(self) -> bool:
        """Tell whether the check holds, or fails, as its `expect` says."""
        return behaves_as_declared(self.outcome, self.check.expect)


@dataclass(frozen=True)
class Evidence:
    """The results of every check, by claim id."""

    results: dict[str, tuple[CheckResult, ...]]
    provenance: Provenance
    """Which sources are copies of others, and which is the checked article."""

    def of(self, claim: Claim) -> tuple[CheckResult, ...]:
        """Return the results of one claim's checks, in the order written."""
        return self.results.get(claim.id, ())

    def summary(self) -> str:
        """Return e.g. '14 checks: 13 hold, 1 fails as expected'."""
        every = [r for results in self.results.values() for r in results]
        holding = sum(1 for r in every if r.outcome.holds)
        expected_failures = sum(1 for r in every if not r.outcome.holds and r.check.expect == "fails")
        wrong = sum(1 for r in every if not r.as_declared)
        text = f"{len(every)} check{'s' if len(every) != 1 else ''}: {holding} hold"
        if expected_failures:
            text += f", {expected_failures} fail{'s' if expected_failures == 1 else ''} as expected"
        if wrong:
            text += f", {wrong} not as declared"
        return text


@dataclass
class EvidenceCache:
    """Each claim's check results from the last call, reused while the same claim object comes back.

    The claim caches return a claim whose text did not change as the very object read before, so
    the preview and incremental builds re-run only the checks of the claims a save changed.
    """

    entries: dict[str, tuple[Claim, tuple[CheckResult, ...], list[Problem]]] = field(default_factory=dict)


def gather_evidence(project: Project, problems: Problems, cache: EvidenceCache | None = None) -> Evidence:
    """Evaluate every check (one that does not behave as declared is an error) and trace the sources' copies."""
    results: dict[str, tuple[CheckResult, ...]] = {}
    kept: dict[str, tuple[Claim, tuple[CheckResult, ...], list[Problem]]] = {}
    for claim in project.claims:
        hit = cache.entries.get(claim.id) if cache is not None else None
        if hit is None or hit[0] is not claim:
            found = Problems()
            hit = (claim, _run_checks(claim, found), found.items)
        kept[claim.id] = hit
        results[claim.id] = hit[1]
        problems.extend(hit[2])
    if cache is not None:
        cache.entries = kept
    return Evidence(results, trace_provenance(project, problems))


def _run_checks(claim: Claim, problems: Problems) -> tuple[CheckResult, ...]:
    """Evaluate one claim's checks, recording each that does not behave as declared."""
    sources = {s.id: s for s in claim.sources if s.id}
    claim_results = []
    for check in claim.checks:
        outcome = evaluate(check.kind, dict(check.params))
        result = CheckResult(check, outcome, sources.get(check.param("source")))
        claim_results.append(result)
        if not result.as_declared:
            declared = "hold" if check.expect == "holds" else "fail"
            actual = "holds" if outcome.holds else "does not hold"
            problems.error(check.where("stated") if check.param("stated") is not None else check.loc,
                           f"{check.kind} check was declared to {declared} but {actual}: "
                           f"{outcome.computation}; {outcome.result}",
                           "Correct the stated figure or inputs, or add 'expect: fails' to document "
                           "a figure the claim gets wrong." if check.expect == "holds" else
                           "Remove 'expect: fails': the figure holds.")
    return tuple(claim_results)
