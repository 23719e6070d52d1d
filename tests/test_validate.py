"""Validation: fields typed by the schema, not by YAML; cross-references checked; drafts kept out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.html
import pytest

from factsite.core.errors import BuildFailed
from factsite.site.options import BuildOptions
from factsite.site.pipeline import read_and_render

from support.project import MakeProject


def problems(project: Path, **options: object) -> list[str]:
    """Return every problem's headline of a project, errors and warnings."""
    try:
        rendered = read_and_render(project, BuildOptions(**options))  # type: ignore[arg-type]
    except BuildFailed as failure:
        return [p.headline() for p in failure.problems]
    return [p.headline() for p in rendered.warnings]


def page(project: Path, path: str, **options: object) -> str:
    rendered = read_and_render(project, BuildOptions(**options))  # type: ignore[arg-type]
    return rendered.outputs[path].decode("utf-8")


def text_of(html: str, css_class: str) -> str:
    """Return the text of the first element with a class."""
    return lxml.html.document_fromstring(html).find_class(css_class)[0].text_content().strip()


def test_the_minimal_project_is_valid(make_project: MakeProject) -> None:
    project = make_project()
    rendered = read_and_render(project, BuildOptions())
    assert rendered.warnings == []
    assert [c.id for c in rendered.project.claims] == ["seized-amount", "pound-figure"]
    assert rendered.project.article.published == dt.date(2019, 11, 7)


@pytest.mark.parametrize("written", ["no", "yes", "on", "1e3", "2019-11-07", "12:30", "null-ish", "0o17"])
def test_unquoted_yaml_words_in_a_text_field_are_kept_as_typed(make_project: MakeProject, written: str) -> None:
    project = make_project(replace=[("    summary: The conversion is right.", f"    summary: {written}")])
    summary = text_of(page(project, "claims/pound-figure/index.html"), "claim__summary")
    assert summary.split()[-1] == written


def test_unquoted_date_in_a_claim_stays_the_text_on_the_index(make_project: MakeProject) -> None:
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", "    claim: 2019-11-07")])
    assert text_of(page(project, "claims/pound-figure/index.html"), "claim__title") == "2019-11-07"
    assert "2019-11-07" in text_of(page(project, "index.html"), "claim-list")


@pytest.mark.parametrize(("written", "hint"), [("no", "Write false."), ("yes", "Write true."), ("off", "Write false."),
                                               ("True", "Write true."), ("'true'", "Write true.")])
def test_boolean_fields_take_only_true_or_false(make_project: MakeProject, written: str, hint: str) -> None:
    project = make_project(replace=[("    tags: [seizure]\n", f"    tags: [seizure]\n    draft: {written}\n")])
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith("claims.yaml:50:12: error: expected true or false, found ")
    assert found[0].endswith(hint)


def test_number_with_thousands_separators_gets_a_hint(make_project: MakeProject) -> None:
    project = make_project(replace=[("        reference: 11.86", "        reference: 11,860")])
    assert problems(project) == ["claims.yaml:34:20: error: expected a number, found '11,860'. "
                                 "Leave out the thousands separators: 11860."]


@pytest.mark.parametrize("written", ["1e3", "0x10", ".5", "+3", "1_000", "NaN", "inf"])
def test_numbers_are_plain_decimals_only(make_project: MakeProject, written: str) -> None:
    project = make_project(replace=[("        reference: 11.86", f"        reference: {written}")])
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith(f"claims.yaml:34:20: error: expected a number, found '{written}'")


@pytest.mark.parametrize("written", ["2019-11", "2019", "'2019-11-08'"])
def test_source_published_may_be_partial(make_project: MakeProject, written: str) -> None:
    project = make_project(replace=[("/statement\n        published: 2019-11-08",
                                     f"/statement\n        published: {written}")])
    assert problems(project) == []


@pytest.mark.parametrize(("written", "start"), [
    ("2019-13", "claims.yaml:43:20: error: '2019-13' is not a real date"),
    ("19-11-08", "claims.yaml:43:20: error: expected a date (YYYY-MM-DD, YYYY-MM or YYYY), found '19-11-08'"),
])
def test_partial_dates_are_still_checked(make_project: MakeProject, written: str, start: str) -> None:
    project = make_project(replace=[("/statement\n        published: 2019-11-08",
                                     f"/statement\n        published: {written}")])
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith(start)


def test_review_date_must_be_a_whole_day(make_project: MakeProject) -> None:
    project = make_project(replace=[("    tags: [seizure]\n    reviewed: 2026-11-29",
                                     "    tags: [seizure]\n    reviewed: 2026-11")])
    assert problems(project)[0].startswith("claims.yaml:50:15: error: expected a date (YYYY-MM-DD), found '2026-11'")


def test_base_url_must_end_with_a_slash(make_project: MakeProject) -> None:
    project = make_project(replace=[("  base_url: https://example.org/checks/", "  base_url: https://example.org/checks")])
    assert problems(project) == ["claims.yaml:5:13: error: 'https://example.org/checks' must end with '/'. "
                                 "Write https://example.org/checks/."]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", "//example.org/x",
                                 "https://", "https://exa mple.org/"])
def test_source_urls_must_be_http_or_https(make_project: MakeProject, url: str) -> None:
    project = make_project(replace=[("        url: https://court.example.com/statement", f"        url: '{url}'")])
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith("claims.yaml:42:14: error: ")


def test_claim_id_must_be_a_slug(make_project: MakeProject) -> None:
    project = make_project(replace=[("  - id: pound-figure", "  - id: Pound_Figure"),
                                    ("(claims/pound-figure/)", "(sources/)")])
    assert problems(project)[0].startswith("claims.yaml:52:9: error: 'Pound_Figure' is not a valid value here. "
                                           "Use lowercase letters")


def test_long_claim_text_is_a_warning_not_an_error(make_project: MakeProject) -> None:
    long = "A claim that goes on and on about kilograms, pounds and the court in many words."
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", f"    claim: {long}")])
    assert problems(project) == [f"claims.yaml:53:12: warning: text is {len(long)} characters, more than 75. "
                                 "Shorten it: fact-check tools show about that much."]


def test_unknown_verdict_suggests_the_closest(make_project: MakeProject) -> None:
    project = make_project(replace=[("    verdict: accurate\n    summary: The conv",
                                     "    verdict: misleding\n    summary: The conv")])
    found = problems(project)
    assert found == ["claims.yaml:57:14: error: unknown verdict 'misleding'. Did you mean 'misleading'? "
                     "Known verdicts: accurate, mostly-accurate, needs-context, misleading, inaccurate, "
                     "unverifiable, opinion."]


def test_custom_scale_replaces_the_default(make_project: MakeProject) -> None:
    scale = ("verdicts:\n  - {id: true-claim, label: True, rating: 2, description: Right.}\n"
             "  - {id: false-claim, label: False, rating: 1, description: Wrong.}\n\nclaims:\n")
    project = make_project(replace=[("claims:\n", scale)])
    found = problems(project)
    assert len(found) == 2
    assert all("unknown verdict 'accurate'" in p for p in found)
    assert "Known verdicts: true-claim, false-claim." in found[0]


def test_event_naming_an_unknown_claim(make_project: MakeProject) -> None:
    project = make_project(replace=[("    claims: [seized-amount]", "    claims: [seized-amout]")])
    assert problems(project) == ["claims.yaml:81:5: error: event 'Sentences announced' names unknown claim "
                                 "'seized-amout'. Did you mean 'seized-amount'?"]


def test_alias_clashing_with_a_claim_id(make_project: MakeProject) -> None:
    project = make_project(replace=[("    tags: [units, seizure]\n", "    tags: [units, seizure]\n"
                                     "    aliases: [seized-amount]\n")])
    found = problems(project)
    assert len(found) == 1
    assert "alias 'seized-amount' is the id of a claim" in found[0]


def test_claimant_mentions_must_agree(make_project: MakeProject) -> None:
    project = make_project(replace=[("    claimant: The Example Times",
                                     "    claimant: {name: Example Police, type: Person}")])
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith("claims.yaml:56:15: error: claimant 'Example Police' is a Person here but an "
                               "Organization at line 23")


def test_claimants_whose_names_fold_to_one_page_clash(make_project: MakeProject) -> None:
    project = make_project(replace=[("    claimant: The Example Times", "    claimant: Example Pólice")])
    found = problems(project)
    assert len(found) == 1
    assert "share the page name 'example-police'" in found[0]
    assert found[0].endswith("Give one of them a 'slug:'.")


@pytest.mark.parametrize(("name", "page"), [
    ("Con", "claimants/claimant-con/index.html"),
    ("LPT1", "claimants/claimant-lpt1/index.html"),
    ("A" * 40 + " " + "B" * 40, f"claimants/{'a' * 40}-{'b' * 23}/index.html"),
])
def test_a_claimants_page_name_is_one_every_system_can_store(make_project: MakeProject, name: str,
                                                              page: str) -> None:
    """No Windows device name, and no longer than an id may be (a claimant's name may run to 300 characters)."""
    project = make_project(replace=[("    claimant: The Example Times", f"    claimant: {name}")])
    assert page in read_and_render(project, BuildOptions()).outputs


def test_drafts_are_left_out_and_their_problems_are_warnings(make_project: MakeProject) -> None:
    project = make_project(replace=[("    tags: [units, seizure]\n", "    tags: [units, seizure]\n    draft: true\n"),
                                    ("    summary: The conversion is right.\n", ""),
                                    ("(claims/pound-figure/)", "(sources/)")])
    rendered = read_and_render(project, BuildOptions())
    assert [c.id for c in rendered.project.claims] == ["seized-amount"]
    assert "claims/pound-figure/index.html" not in rendered.outputs
    assert [p.headline() for p in rendered.warnings] == [
        "claims.yaml:52:5: warning: draft: missing required key 'summary'. Add 'summary: ...' "
        "(one sentence: the bottom line)."]
    assert problems(project, drafts=True)[0].startswith("claims.yaml:52:5: error: missing required key 'summary'")


def test_drafts_build_labelled_and_noindex(make_project: MakeProject) -> None:
    project = make_project(replace=[("    tags: [units, seizure]\n", "    tags: [units, seizure]\n    draft: true\n")])
    html = page(project, "claims/pound-figure/index.html", drafts=True)
    assert '<meta name="robots" content="noindex">' in html
    assert "Draft: not published" in html


def test_claims_are_in_article_order_then_file_order(make_project: MakeProject) -> None:
    project = make_project(replace=[("    paragraph: 2", "    paragraph: 1"), ("    paragraph: 1\n    claimant: {",
                                                                            "    paragraph: 3\n    claimant: {")])
    assert [c.id for c in read_and_render(project, BuildOptions()).project.claims] == ["pound-figure", "seized-amount"]


def test_claims_folder_adds_claims_after_claims_yaml(make_project: MakeProject) -> None:
    extra = ("- id: extra-claim\n  claim: Another.\n  quote: \"x\"\n  paragraph: 2\n  claimant: Someone\n"
             "  verdict: opinion\n  summary: S.\n  explanation: E.\n  sources:\n"
             "    - {title: T, publisher: P, kind: secondary}\n  reviewed: 2026-11-29\n")
    project = make_project({"claims/more.yaml": extra})
    ids = [c.id for c in read_and_render(project, BuildOptions()).project.claims]
    assert ids == ["seized-amount", "pound-figure", "extra-claim"]


def test_claims_folder_file_errors_name_that_file(make_project: MakeProject) -> None:
    project = make_project({"claims/more.yaml": "- id: extra\n  verdict: acurate\n"})
    found = problems(project)
    assert found and all(p.startswith("claims/more.yaml:1:3: error: missing required key") for p in found)


def test_content_page_name_reserved_by_the_site(make_project: MakeProject) -> None:
    project = make_project({"content/claims.md": "---\ntitle: T\ndescription: D\n---\nBody.\n"})
    assert problems(project) == ["content/claims.md: error: 'claims' cannot be a page name. "
                                 "'claims' is used by the site; rename the file."]


def test_content_page_without_front_matter(make_project: MakeProject) -> None:
    project = make_project({"content/about.md": "# About\n\nNo front matter.\n"})
    assert problems(project) == ["content/about.md:1:1: error: missing front matter. Start the file with '---', then "
                                 "'title: ...' and 'description: ...', then '---'."]


def test_a_repeated_rating_is_reported_at_the_second_verdict(make_project: MakeProject) -> None:
    scale = ("verdicts:\n"
             "  - {id: accurate, label: Accurate, rating: 2, description: Right.}\n"
             "  - {id: wrong, label: Wrong, rating: 2, description: Not right.}\n")
    project = make_project(replace=[("claims:\n", scale + "claims:\n")])
    found = problems(project)
    assert any(re.match(r"claims\.yaml:\d+:\d+: error: verdicts 'accurate' and 'wrong' share the rating 2", p)
               for p in found), found
    line = next(p for p in found if "share the rating" in p).split(":")[1]
    text = (project / "claims.yaml").read_text(encoding="utf-8").splitlines()
    assert "id: wrong" in text[int(line) - 1]


def test_a_logo_path_must_stay_inside_static(make_project: MakeProject) -> None:
    project = make_project(replace=[("    url: https://example.org/\n",
                                     "    url: https://example.org/\n    logo: ../claims.yaml\n")])
    found = problems(project)
    assert len(found) == 1 and "'../claims.yaml' is not a valid value here" in found[0], found
