"""Building: a project builds, every internal link resolves on disk, builds are reproducible and safe."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from factsite.core.errors import BuildFailed
from factsite.core.names import THEME_DIR
from factsite.site.options import BuildOptions
from factsite.site.pipeline import read_and_render
from factsite.site.write import MARKER, MARKER_TEXT, OutputError, safe_relative, write_site

from support.project import MakeProject, Result, read_page, run_process, tree_bytes

LINKS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"))


def build_in_place(project: Path, out: Path, *extra: str, seed: str = "0") -> Result:
    """Build a project the way a newcomer does: in the project folder, with --out."""
    return run_process(["build", "--out", str(out), *extra], cwd=project, env={"PYTHONHASHSEED": seed})


def _targets(page: str, html: bytes, base_path: str) -> list[str]:
    """Return the site-relative targets (with #fragment) of a page's internal links."""
    document = lxml.html.document_fromstring(html)
    values = [element.get(attribute) for tag, attribute in LINKS for element in document.iter(tag)
              if element.get(attribute) is not None]
    for meta in document.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            values.append(re.sub(r"^\d+;\s*url=", "", meta.get("content", ""), flags=re.I))
    found = []
    for value in values:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith("mailto:"):
            continue
        if value.startswith("/"):
            assert value.startswith(base_path), f"{page}: rooted link {value} is outside {base_path}"
            path = value[len(base_path):]
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
            if parts.path.endswith("/") or parts.path in ("", "."):
                path = path.rstrip("/") + "/" if parts.path else page
            path = "" if path in (".", "./") else path
        found.append(unquote(path) + (f"#{parts.fragment}" if parts.fragment else ""))
    return found


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Crawl every HTML file of a built site on disk; return each link that leads nowhere."""
    broken = []
    ids: dict[str, set[str]] = {}
    for file in sorted(site.rglob("*.html")):
        page = file.relative_to(site).as_posix()
        for target in _targets(page, file.read_bytes(), base_path):
            path, _, fragment = target.partition("#")
            if path.startswith("../") or path == "..":
                broken.append(f"{page}: {target} leaves the site")
                continue
            output = site / path
            if path == "" or path.endswith("/") or output.is_dir():
                output = output / "index.html"
            if not output.is_file():
                broken.append(f"{page}: {target} -> no file {output.relative_to(site)}")
                continue
            if fragment and output.suffix == ".html":
                key = output.relative_to(site).as_posix()
                if key not in ids:
                    ids[key] = set(lxml.html.document_fromstring(output.read_bytes()).xpath("//@id"))
                if fragment not in ids[key]:
                    broken.append(f"{page}: {target} -> no id '{fragment}' in {key}")
    return broken


def test_a_project_with_every_template_builds_and_every_internal_link_resolves(rich_site: Path) -> None:
    assert (rich_site / "index.html").is_file()
    assert (rich_site / MARKER).read_bytes() == MARKER_TEXT
    assert broken_links(rich_site) == []


@pytest.mark.shipped
def test_the_shipped_project_builds_and_every_internal_link_resolves(shipped: Path) -> None:
    assert (shipped / "index.html").is_file()
    assert broken_links(shipped) == []


def test_a_file_urls_build_links_to_index_files(rich_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build_in_place(rich_project, out, "--file-urls")
    assert result.code == 0, result.err
    assert broken_links(out) == []
    index = read_page(out, "index.html")
    hrefs = re.findall(r'<a [^>]*href="([^"#:]+)"', index)
    assert hrefs, "the index links to other pages"
    assert all(h.endswith((".html", ".xml", ".json", ".csv")) for h in hrefs), hrefs


def test_two_builds_are_byte_identical_whatever_the_hash_seed(rich_project: Path, rich_site: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = build_in_place(rich_project, out, seed="4242")
    assert result.code == 0, result.err
    first, second = tree_bytes(rich_site), tree_bytes(out)
    assert sorted(first) == sorted(second)
    assert [p for p in first if first[p] != second[p]] == []


def test_the_minimal_project_links_resolve_in_both_forms(make_project: MakeProject) -> None:
    project = make_project()
    for extra in ((), ("--file-urls",)):
        out = project / ("files" if extra else "site")
        result = run_process(["--project", str(project), "build", "--out", str(out), *extra])
        assert result.code == 0, result.err
        assert broken_links(out, "/checks/") == []
    assert 'href="../../claims/pound-figure/index.html"' in read_page(project / "files",
                                                                       "claims/seized-amount/index.html")
    assert 'href="../../claims/pound-figure/"' in read_page(project / "site", "claims/seized-amount/index.html")


def test_the_404_page_links_from_the_base_path(make_project: MakeProject, build: object) -> None:
    project = make_project()
    html = read_and_render(project, BuildOptions()).outputs["404.html"].decode()
    assert 'href="/checks/sources/"' in html
    assert re.search(r'href="/checks/static/site\.[0-9a-f]{8}\.css"', html)


def test_a_rebuild_with_different_seeds_is_identical(make_project: MakeProject) -> None:
    project = make_project()
    outs = []
    for seed in ("1", "2"):
        out = project / f"site{seed}"
        result = run_process(["--project", str(project), "build", "--out", str(out)], env={"PYTHONHASHSEED": seed})
        assert result.code == 0, result.err
        outs.append(tree_bytes(out))
    assert outs[0] == outs[1]


def test_a_non_empty_folder_without_the_marker_is_refused_and_untouched(
        make_project: MakeProject, build: object) -> None:
    project = make_project()
    out = project / "mine"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "todo.txt").write_text("keep me\n")
    before = tree_bytes(out)
    result = build(project, out=out)  # type: ignore[operator]
    assert result.code == 2
    assert "is not empty and was not written by factsite" in result.err
    assert tree_bytes(out) == before


@pytest.mark.parametrize("out", [".", "templates", "templates/sub", "static", "content", "claims.yaml", ".."])
def test_output_at_or_inside_the_inputs_is_refused(make_project: MakeProject, build: object, out: str) -> None:
    project = make_project()
    before = inputs(project)
    result = build(project, out=project / out)  # type: ignore[operator]
    assert result.code == 2, result.err
    assert result.err.startswith("build.py: error: --out ")
    assert inputs(project) == before


def test_output_dot_in_the_project_folder_is_refused_for_real(make_project: MakeProject) -> None:
    project = make_project()
    result = run_process(["build", "--out", "."], cwd=project)
    assert result.code == 2
    assert "would replace the project folder" in result.err
    assert "Traceback" not in result.err


def test_an_empty_folder_is_used_and_a_marked_one_replaced(make_project: MakeProject, build: object) -> None:
    project = make_project()
    out = project / "public"
    out.mkdir()
    assert build(project, out=out).code == 0  # type: ignore[operator]
    (out / "stale.html").write_text("old")
    assert build(project, out=out).code == 0  # type: ignore[operator]
    assert not (out / "stale.html").exists()
    assert (out / MARKER).read_bytes() == MARKER_TEXT
    assert not any(p.name.startswith(".public.factsite") for p in project.iterdir())


@pytest.mark.parametrize("path", ["../x", "/abs", "a/../../b", "a/../b", "", "./a", "a//b", "C:/x", "a\\b", ".."])
def test_safe_relative_rejects_paths_that_leave_the_output(path: str) -> None:
    with pytest.raises(OutputError):
        safe_relative(path)


@pytest.mark.parametrize("path", ["index.html", "claims/x/index.html", "static/site.12345678.css", ".factsite"])
def test_safe_relative_accepts_plain_paths(path: str) -> None:
    assert safe_relative(path) == path


# Security: what a claim writer types can never become markup or script.

def test_claim_text_is_escaped(make_project: MakeProject) -> None:
    project = make_project(replace=[("    claim: 11.9 kg is 26.2 pounds.", "    claim: <script>alert(1)</script>")])
    outputs = read_and_render(project, BuildOptions()).outputs
    for path in ("claims/pound-figure/index.html", "index.html"):
        html = outputs[path].decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_in_markdown_is_escaped(make_project: MakeProject) -> None:
    project = make_project(replace=[("    explanation: The pound is exactly 0.45359237 kg.",
                                     "    explanation: |\n      <img src=x onerror=alert(1)> and <b>bold</b>\n\n"
                                     "      <div onclick=\"x()\">block</div>")])
    html = read_and_render(project, BuildOptions()).outputs["claims/pound-figure/index.html"].decode()
    assert "<img src=x" not in html and "<b>bold" not in html and "<div onclick" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;div onclick=&quot;x()&quot;&gt;block&lt;/div&gt;" in html


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x",
                                  "//evil.example/x", "file:///etc/passwd"])
def test_markdown_links_other_than_http_https_mailto_fail_the_build(make_project: MakeProject, href: str) -> None:
    project = make_project(replace=[("(claims/pound-figure/)", f"(<{href}>)")])
    with pytest.raises(BuildFailed) as failure:
        read_and_render(project, BuildOptions())
    assert [p.message for p in failure.value.problems] == [f"link '{href}' is not allowed"]


def test_allowed_markdown_links(make_project: MakeProject) -> None:
    links = "(https://example.com/a) [m](mailto:desk@example.org) [s](claims/pound-figure/#sources-heading)"
    project = make_project(replace=[("(claims/pound-figure/)", links)])
    html = read_and_render(project, BuildOptions()).outputs["claims/seized-amount/index.html"].decode()
    assert '<a href="https://example.com/a" rel="noopener">' in html
    assert '<a href="mailto:desk@example.org">m</a>' in html
    assert '<a href="../../claims/pound-figure/#sources-heading">s</a>' in html


def test_markdown_table_alignment_is_a_class_not_a_style(make_project: MakeProject) -> None:
    table = "    explanation: |\n      | Unit | Value |\n      |:-----|------:|\n      | kg | 11.9 |\n"
    project = make_project(replace=[("    explanation: The pound is exactly 0.45359237 kg.\n", table)])
    outputs = read_and_render(project, BuildOptions()).outputs
    html = outputs["claims/pound-figure/index.html"].decode()
    assert '<th class="align-left">Unit</th>' in html
    assert '<td class="align-right">11.9</td>' in html
    assert not [path for path, data in outputs.items() if path.endswith(".html") and b"style=" in data]


def test_markdown_headings_start_below_the_page_heading(make_project: MakeProject) -> None:
    project = make_project(replace=[("    explanation: The pound is exactly 0.45359237 kg.",
                                     "    explanation: |\n      # Top\n\n      ## Next")])
    html = read_and_render(project, BuildOptions()).outputs["claims/pound-figure/index.html"].decode()
    assert "<h2>Top</h2>" in html and "<h3>Next</h3>" in html


def test_every_page_carries_the_content_security_policy(make_project: MakeProject) -> None:
    outputs = read_and_render(make_project(), BuildOptions()).outputs
    pages = [p for p in outputs if p.endswith(".html")]
    assert len(pages) > 10
    for path in pages:
        html = outputs[path].decode()
        assert "default-src &#39;none&#39;; script-src &#39;self&#39;" in html, path
        assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html) == [], path


def inputs(project: Path) -> dict[str, bytes]:
    """Return the project's files, leaving out the tool's own state in .factsite/."""
    return {path: data for path, data in tree_bytes(project).items() if not path.startswith(".factsite/")}


def test_check_writes_nothing(make_project: MakeProject) -> None:
    project = make_project()
    before = inputs(project)
    result = run_process(["--project", str(project), "check"])
    assert result.code == 0, result.err
    assert inputs(project) == before


def test_a_write_that_fails_midway_leaves_the_old_site(make_project: MakeProject, build: object) -> None:
    project = make_project()
    out = project / "site"
    assert build(project, out=out).code == 0  # type: ignore[operator]
    before = tree_bytes(out)
    with pytest.raises(OSError):
        write_site({"index.html": b"new", "index.html/inner": b"a file cannot also be a folder"}, out)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_template_error_is_not_buried_under_false_broken_links(make_project: MakeProject,
                                                                   build: Callable[..., Result]) -> None:
    base = (THEME_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    project = make_project({"templates/base.html": base.replace("{{ site.title }}", "{{ site.titel }}", 1)})
    result = build(project)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1, errors
    assert errors[0].startswith("templates/base.html:") and "titel" in errors[0]


def test_check_writes_nothing_anywhere(make_project: MakeProject) -> None:
    project = make_project()
    before = tree_bytes(project)
    result = run_process(["--project", str(project), "check"])
    assert result.code == 0, result.err
    assert "files would be written" in result.out
    assert tree_bytes(project) == before
    assert not (project / ".factsite").exists()


def test_a_build_keeps_its_share_images_for_the_next_one(make_project: MakeProject) -> None:
    project = make_project()
    assert run_process(["--project", str(project), "build"]).code == 0
    cached = sorted(p.name for p in (project / ".factsite" / "cache" / "share").glob("*.png"))
    assert len(cached) == 2


def test_archived_copies_are_offered_on_the_claim_page_and_the_sources_page(rich_site: Path) -> None:
    archive = "https://archive.example.net/riverside/drawings"
    sources = lxml.html.fromstring(read_page(rich_site, "sources/index.html"))
    assert [a.text for a in sources.iter("a") if a.get("href") == archive] == ["Archived copy"]
    citing = [page for page in sorted(rich_site.glob("claims/*/index.html")) if archive in page.read_text("utf-8")]
    assert citing, "a claim cites the archived source"
    for page in citing:
        links = lxml.html.fromstring(page.read_text("utf-8")).iter("a")
        assert [a.text for a in links if a.get("href") == archive] == ["Archived copy"]
