"""Run axe-core in a page and return its accessibility violations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from support.browser import META_REFRESH

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# axe-core's default rule set (WCAG 2.0-2.2 A/AA and best practices) leaves these off;
# the site promises them too. AAA rules and deprecated ones stay off.
EXTRA_RULES: tuple[str, ...] = ("target-size",)

_RUN_SCRIPT = """async (extra) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const result = await axe.run(document, {rules, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html,
                                summary: n.failureSummary || ''})),
  }));
}"""


def require_axe() -> Path:
    """Return axe.min.js; skip without it (run `npm ci`), or fail when CI=true."""
    if not AXE_PATH.is_file():
        reason = f"axe-core not installed at {AXE_PATH} (run `npm ci`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_PATH


def _hold_refresh(route: Route) -> None:
    """Keep a redirect page on screen long enough to check it: disarm its meta refresh."""
    if route.request.resource_type != "document":
        route.fallback()
        return
    response = route.fetch()
    text = response.body().decode("utf-8", errors="surrogateescape")
    held = META_REFRESH.sub(lambda match: match.group(0)[:-7] + "x-held-refresh", text)
    route.fulfill(response=response, body=held.encode("utf-8", errors="surrogateescape"))


def new_axe_context(browser: Browser, width: int, height: int) -> BrowserContext:
    """Open a context that lets axe be injected into pages with a strict CSP."""
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
    context.route("**/*", _hold_refresh)
    return context


def run_axe(page: Page, extra_rules: tuple[str, ...] = EXTRA_RULES) -> list[dict[str, Any]]:
    """Inject axe-core into the loaded page and return its violations."""
    page.add_script_tag(path=str(require_axe()))
    return page.evaluate(_RUN_SCRIPT, list(extra_rules))


def format_violations(url: str, violations: list[dict[str, Any]]) -> list[str]:
    """Describe each violating element on one line: page, rule, impact, element, fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(
                f"{url}: {violation['id']} ({violation['impact']}) at {node['target']}: {violation['help']}. {summary}"
            )
    return lines
