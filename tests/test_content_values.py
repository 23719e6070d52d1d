"""Site values in content pages (`{{ site.title }}`), and the theme's generic pages that use them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from factsite.core.errors import BuildFailed
from factsite.core.names import THEME_DIR
from factsite.site.options import BuildOptions
from factsite.site.pipeline import read_and_render
from factsite.site.values import VALUES

from support.project import REPO, MakeProject, Result, read_page

THEME_PAGES = ("about", "methodology", "corrections")
PUBLISHER = "    name: Test desk\n"


def page(body: str, title: str = "Values") -> str:
    """Return a content page: four lines of front matter, then `body` from line 5."""
    return f"---\ntitle: {title}\ndescription: A page.\n---\n{body}"


def errors(project: Path) -> list[str]:
    """Return the headline of every error of a project (none if it builds)."""
    try:
        read_and_render(project, BuildOptions())
    except BuildFailed as failure:
        return [p.headline() for p in failure.problems if p.severity == "error"]
    return []


def prose_of(project: Path, name: str = "values") -> lxml.html.HtmlElement:
    """Return the article element of a content page of a project that builds, without its title and lede."""
    html = read_and_render(project, BuildOptions()).outputs[f"{name}/index.html"].decode("utf-8")
    prose = lxml.html.document_fromstring(html).find_class("prose")[0]
    for element in (*prose.iter("h1"), *prose.find_class("lede")):
        element.drop_tree()
    return prose


def test_values_are_replaced_by_the_projects_text(make_project: MakeProject) -> None:
    body = ("{{ site.title }} by {{site.publisher.name}}: {{ article.outlet }}, {{ article.published }},\n"
            "“{{ article.title }}” by {{ article.authors }}, under {{ site.license.name }}.\n\n"
            "[The article]({{ article.url }}) · [the desk]({{ site.publisher.url }}) · "
            "[the terms]({{ site.license.url }})\n")
    prose = prose_of(make_project({"content/values.md": page(body)}))
    text = " ".join(prose.text_content().split())
    assert ("Test fact-check by Test desk: The Example Times, 7 November 2019, “A report on a seizure” by "
            "Ann Writer, under CC BY 4.0.") in text
    assert [a.get("href") for a in prose.iter("a")] == ["https://news.example.com/report", "https://example.org/",
                                                       "https://creativecommons.org/licenses/by/4.0/"]
    assert "{{" not in lxml.html.tostring(prose, encoding="unicode")


@pytest.mark.parametrize(("authors", "shown"), [("[Ann Writer, Bo Li]", "Ann Writer and Bo Li"),
                                                ("[A, B, C]", "A, B and C")])
def test_authors_read_as_a_phrase(make_project: MakeProject, authors: str, shown: str) -> None:
    project = make_project({"content/values.md": page("By {{ article.authors }}.\n")},
                           replace=[("  authors: [Ann Writer]", f"  authors: {authors}")])
    assert prose_of(project).text_content().strip() == f"By {shown}."


def test_markdown_and_html_in_a_value_show_as_written(make_project: MakeProject) -> None:
    name = r"*bold* <b>x</b> _u_ [a](https://evil.example/) `c` &amp; # 1. \ | {{ site.title }}"
    body = ("{{ site.publisher.name }}\n\n- {{ site.publisher.name }}\n\n"
            "[{{ site.publisher.name }}](mailto:{{ site.publisher.contact }})\n")
    project = make_project({"content/values.md": page(body)}, replace=[
        (PUBLISHER, f"    name: '{name}'\n    contact: desk+x@example.org\n")])
    prose = prose_of(project)
    html = lxml.html.tostring(prose, encoding="unicode")
    paragraphs = [p.text_content() for p in prose.iter("p", "li")]
    assert paragraphs == [name, name, name], "each value must read exactly as written in claims.yaml"
    assert [a.get("href") for a in prose.iter("a")] == ["mailto:desk+x@example.org"]
    for tag in ("<b>", "<em>", "<strong>", "<code>", "<h1", "<ol"):
        assert tag not in html, f"a value made {tag}"


def test_an_unknown_name_is_an_error_at_its_line_and_column_with_the_known_names(make_project: MakeProject) -> None:
    body = "First line.\n\nWe are {{ site.titel }} and {{ article.outlet }}.\n"
    found = errors(make_project({"content/values.md": page(body)}))
    assert len(found) == 1
    assert found[0].startswith("content/values.md:7:8: error: unknown site value 'site.titel'. "
                               "Did you mean 'site.title'? Known values: site.title, ")
    assert all(value.name in found[0] for value in VALUES)


def test_an_unset_optional_value_says_which_key_to_add(make_project: MakeProject) -> None:
    body = "Write to [us](mailto:{{ site.publisher.contact }}).\n"
    found = errors(make_project({"content/values.md": page(body)}))
    assert found == ["content/values.md:5:22: error: site value 'site.publisher.contact' is not set. Add "
                     "'contact: <email address>' under 'publisher:' in the site section of claims.yaml, "
                     "or leave the value out of the page."]


def test_the_licence_url_is_unset_when_all_rights_are_reserved(make_project: MakeProject) -> None:
    project = make_project({"content/values.md": page("x\n[terms]({{ site.license.url }})\n")},
                           replace=[("  language: en\n", "  language: en\n  license: all-rights-reserved\n")])
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("content/values.md:6:9: error: site value 'site.license.url' "
                                                   "is not set. The site's licence is all-rights-reserved")


def test_an_unclosed_braces_and_an_empty_one_are_errors(make_project: MakeProject) -> None:
    body = "A {{ site.title\n\nB {{ }}\n"
    found = errors(make_project({"content/values.md": page(body)}))
    assert [f.split(". ")[0] for f in found] == [
        "content/values.md:5:3: error: '{{' is not closed by '}}' on its line",
        "content/values.md:7:3: error: empty '{{ }}'"]


def test_a_backslash_keeps_braces_literal(make_project: MakeProject) -> None:
    prose = prose_of(make_project({"content/values.md": page("Write \\{{ site.title }} in a page.\n")}))
    assert prose.text_content().strip() == "Write {{ site.title }} in a page."


def test_values_in_front_matter_are_an_error_at_their_place(make_project: MakeProject) -> None:
    found = errors(make_project({"content/values.md": page("Text.\n", title="About {{ site.title }}")}))
    assert found == ["content/values.md:2:14: error: site values such as {{ site.title }} work only in the page's "
                     "text, not in its front matter. Write the title out in full."]


def test_a_bad_link_after_a_value_is_still_reported_on_its_line(make_project: MakeProject) -> None:
    body = "Intro.\n{{ site.title }}: [gone](claims/nothing-here/)\n"
    found = errors(make_project({"content/values.md": page(body)}))
    assert len(found) == 1 and found[0].startswith("content/values.md:6:")
    assert "'claims/nothing-here/' leads to no page" in found[0]


# The theme's generic pages

def test_a_project_of_only_claims_yaml_builds_a_whole_site_with_the_themes_pages(
        make_project: MakeProject, build: Callable[..., Result]) -> None:
    project = make_project({"content/about.md": None})
    assert sorted(p.name for p in project.iterdir()) == ["claims.yaml"]
    result = build(project)
    assert result.code == 0, result.out + result.err
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "{{" not in html, f"{path.relative_to(site)} has a value left unfilled"
        if path.name == "index.html" and "embed" not in path.parts and 'http-equiv="refresh"' not in html:
            footer = lxml.html.document_fromstring(html).find_class("footer__links")[0]
            titles = [a.text_content() for a in footer.iter("a")]
            assert titles[:3] == ["About this site", "Methodology", "Corrections"], path
    about = lxml.html.document_fromstring(read_page(site, "about/index.html")).find_class("prose")[0]
    text = " ".join(about.text_content().split())
    assert "Test fact-check is published by Test desk" in text
    assert "“A report on a seizure”" in text or '"A report on a seizure"' in text
    assert "The Example Times on 7 November 2019" in text
    assert "every page: CC BY 4.0." in text
    assert read_page(site, "methodology/index.html").count('id="verdict-') == 7, "the rating scale is appended"
    assert "No corrections have been made so far." in read_page(site, "corrections/index.html")


def test_the_themes_pages_use_only_values_every_project_has() -> None:
    optional = {value.name for value in VALUES if value.unset_hint}
    for path in sorted((THEME_DIR / "content").glob("*.md")):
        used = set(re.findall(r"\{\{\s*([^{}\s]+)\s*\}\}", path.read_text(encoding="utf-8")))
        assert used, f"{path.name} uses no site values"
        assert not used & optional, f"{path.name} uses optional values {sorted(used & optional)}"
        assert used <= {value.name for value in VALUES}, path.name


@pytest.mark.parametrize("name", THEME_PAGES)
def test_the_themes_pages_say_nothing_of_the_shipped_fact_check(name: str) -> None:
    text = (THEME_DIR / "content" / f"{name}.md").read_text(encoding="utf-8").lower()
    for word in ("xingtai", "fentanyl", "washington post", "china", "factcheck.example.org", "demonstration"):
        assert word not in text, f"the theme's {name}.md mentions {word!r}"


def test_the_shipped_pages_take_the_desk_address_from_claims_yaml(shipped: Path) -> None:
    for path in sorted((REPO / "content").glob("*.md")):
        assert "desk@factcheck.example.org" not in path.read_text(encoding="utf-8"), path.name
    for name in ("about", "corrections", "submit"):
        assert '<a href="mailto:desk@factcheck.example.org">desk@factcheck.example.org</a>' in \
            read_page(shipped, f"{name}/index.html"), name


def test_the_readme_lists_exactly_the_site_values() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Site values in content pages"):]
    section = section[: section.index("\n## ")]
    listed = re.findall(r"^\| `\{\{ ([a-z.]+) \}\}` \|", section, re.M)
    assert listed == [value.name for value in VALUES]
