"""The licence is data: `site.license` drives the footer, claims.json, feed.xml and each ClaimReview."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from factsite.project.model import DEFAULT_LICENSE, LICENSES
from factsite.project.schema import claims_schema

from support.project import MakeProject, Result, read_page

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LANGUAGE = "  language: en\n"
ATOM = "{http://www.w3.org/2005/Atom}"


def with_license(yaml: str) -> list[tuple[str, str]]:
    """Return the patch that adds `license:` (YAML text, indented for the site section) after `language:`."""
    return [(LANGUAGE, LANGUAGE + f"  license: {yaml}\n")]


def footer_licence(site: Path, page: str = "index.html") -> str:
    html = read_page(site, page)
    found = re.search(r'<p class="footer__licence">(.*?)</p>', html)
    assert found, f"{page} has no licence line in its footer"
    return found.group(1)


def rights(site: Path) -> str:
    root = ET.fromstring(read_page(site, "feed.xml"))
    element = root.find(f"{ATOM}rights")
    assert element is not None and element.text is not None
    return element.text


def data_feed(site: Path) -> dict[str, Any]:
    return json.loads(read_page(site, "claims.json"))


def claim_review(site: Path, claim: str = "seized-amount") -> dict[str, Any]:
    html = read_page(site, f"claims/{claim}/index.html")
    found = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    assert found, "the claim page has no JSON-LD"
    return json.loads(found.group(1))


def built(make_project: MakeProject, build: Callable[..., Result], replace: list[tuple[str, str]]) -> Path:
    """Build the minimal project, patched, with the theme's content pages only."""
    project = make_project({"content/about.md": None}, replace=replace)
    result = build(project)
    assert result.code == 0, result.out + result.err
    return project / "site"


def test_without_a_license_key_the_site_is_cc_by_4_0_as_before(make_project: MakeProject,
                                                                 build: Callable[..., Result]) -> None:
    site = built(make_project, build, [])
    assert footer_licence(site) == f'Fact-checks and data: <a href="{CC_BY}" rel="license noopener">CC BY 4.0</a>. ' \
                                   "Built with factsite."
    assert data_feed(site)["license"] == CC_BY == DEFAULT_LICENSE.url
    assert rights(site) == f"CC BY 4.0 {CC_BY}"
    assert claim_review(site)["license"] == CC_BY


@pytest.mark.parametrize("spdx", ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0"])
def test_an_spdx_id_names_the_licence_everywhere(make_project: MakeProject, build: Callable[..., Result],
                                                 spdx: str) -> None:
    name, url = LICENSES[spdx]
    site = built(make_project, build, with_license(spdx))
    for page in ("index.html", "claims/seized-amount/index.html", "methodology/index.html", "404.html"):
        assert footer_licence(site, page) == f'Fact-checks and data: <a href="{url}" rel="license noopener">' \
                                             f"{name}</a>. Built with factsite."
    assert data_feed(site)["license"] == url
    assert rights(site) == f"{name} {url}"
    assert claim_review(site)["license"] == url
    assert all(item["item"]["license"] == url for item in data_feed(site)["dataFeedElement"])


def test_another_licence_is_a_name_and_a_url(make_project: MakeProject, build: Callable[..., Result]) -> None:
    url = "https://example.org/terms?use=all&credit=yes"
    site = built(make_project, build, with_license(f"\n    name: Example <Open> Licence & Co\n    url: {url}"))
    assert footer_licence(site) == ('Fact-checks and data: <a href="https://example.org/terms?use=all&amp;credit=yes" '
                                    'rel="license noopener">Example &lt;Open&gt; Licence &amp; Co</a>. '
                                    "Built with factsite.")
    assert data_feed(site)["license"] == url
    assert rights(site) == f"Example <Open> Licence & Co {url}"
    assert claim_review(site)["license"] == url


def test_all_rights_reserved_names_the_publisher_and_claims_no_licence_url(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    site = built(make_project, build, with_license("all-rights-reserved"))
    assert footer_licence(site) == "Fact-checks and data © Test desk. All rights reserved. Built with factsite."
    assert "license" not in data_feed(site)
    assert rights(site) == "© Test desk. All rights reserved."
    assert "license" not in claim_review(site)
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert 'rel="license' not in text and "creativecommons.org" not in text, path
    about = read_page(site, "about/index.html")  # the theme's page says so in its words
    assert "at the foot of\nevery page: All rights reserved." in about
    assert "Test desk</a>. It checks" in about


@pytest.mark.parametrize(("written", "message"), [
    ("CC-BY-5.0", "unknown licence 'CC-BY-5.0'. Did you mean 'CC-BY-4.0'?"),
    ("CC BY-SA 4.0", "unknown licence 'CC BY-SA 4.0'. Did you mean 'CC-BY-SA-4.0'?"),
    ("cc0-1.0", "unknown licence 'cc0-1.0'. Did you mean 'CC0-1.0'?"),
    ("proprietary", "unknown licence 'proprietary'. Known SPDX ids: CC-BY-4.0, "),
])
def test_an_unknown_licence_is_an_error_at_its_place_with_a_suggestion(
        make_project: MakeProject, build: Callable[..., Result], written: str, message: str) -> None:
    project = make_project(replace=with_license(written))
    result = build(project)
    assert result.code == 1
    assert f"claims.yaml:7:12: error: {message}" in result.out + result.err
    assert "all-rights-reserved" in result.out + result.err
    assert not (project / "site").exists()


def test_another_licence_needs_its_url(make_project: MakeProject, build: Callable[..., Result]) -> None:
    result = build(make_project(replace=with_license("\n    name: House rules")))
    assert result.code == 1
    assert "claims.yaml:8:5: error: missing required key 'url'" in result.out + result.err


def license_schema() -> dict[str, Any]:
    """Return the editor schema of `site.license`."""
    schema = claims_schema()
    return {**schema["$defs"]["Site"]["properties"]["license"], "$defs": schema["$defs"]}


@pytest.mark.parametrize("written", ["CC-BY-SA-4.0", "all-rights-reserved",
                                     "\n  name: House rules\n  url: https://example.org/rules"])
def test_the_editor_schema_accepts_each_form(written: str) -> None:
    value = yaml.safe_load(f"license: {written}\n")["license"]
    jsonschema.Draft202012Validator(license_schema()).validate(value)


@pytest.mark.parametrize("written", ["CC-BY-5.0", "\n  name: House rules", "\n  url: https://example.org/rules"])
def test_the_editor_schema_refuses_what_the_build_refuses(written: str) -> None:
    value = yaml.safe_load(f"license: {written}\n")["license"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(license_schema()).validate(value)
