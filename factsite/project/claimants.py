"""Claimants: a claimant is its name, so every mention must agree, and page names must not clash.

A mention is a claim's `claimant`, or its `attributed_to` when the article reports someone's
statement in its own words: both get a page, and both must agree wherever the name recurs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..core.errors import Problems
from ..core.urls import claimant_slug
from .model import Claimant, Project


def mentions(project: Project) -> Iterator[Claimant]:
    """Yield every claimant and every person or body a claim is attributed to, in article order."""
    for claim in project.claims:
        yield claim.claimant
        if claim.attributed_to is not None:
            yield claim.attributed_to


def check_claimants(project: Project, problems: Problems) -> None:
    """A claimant is its name: mentions must agree and page names must not clash."""
    by_name: dict[str, Claimant] = {}
    by_slug: dict[str, str] = {}
    for person in mentions(project):
        first = by_name.get(person.name)
        if first is None:
            by_name[person.name] = person
            slug = claimant_slug(person)
            if slug in by_slug and by_slug[slug] != person.name:
                problems.error(person.loc, f"claimants '{by_slug[slug]}' and '{person.name}' share the page name "
                               f"'{slug}'", "Give one of them a 'slug:'.")
            by_slug.setdefault(slug, person.name)
            continue
        for key in ("type", "title", "url", "slug"):
            mine, theirs = getattr(person, key), getattr(first, key)
            if key == "type" and mine != theirs:
                problems.error(person.loc, f"claimant '{person.name}' is {_article(mine)} {mine} here but "
                               f"{_article(theirs)} {theirs} at line {first.loc.line}",
                               "Use the same type for every mention.")
            elif key != "type" and mine and theirs and mine != theirs:
                problems.error(person.loc, f"claimant '{person.name}' has {key} '{mine}' here but "
                               f"'{theirs}' at line {first.loc.line}", "Make the mentions agree.")


def _article(word: str) -> str:
    """Return 'an' before a vowel, else 'a'."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def merged_claimants(project: Project) -> dict[str, Claimant]:
    """Return each claimant (and each person claims are attributed to) by name, details merged, in article order."""
    merged: dict[str, Claimant] = {}
    for person in mentions(project):
        known = merged.get(person.name)
        if known is None:
            merged[person.name] = person
            continue
        merged[person.name] = dataclasses.replace(
            known, **{k: getattr(person, k) for k in ("title", "url", "slug")
                      if getattr(known, k) is None and getattr(person, k) is not None})
    return merged

