"""`new claim ID`: append a commented draft claim to claims.yaml, leaving every other byte as it was."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from ..core.errors import UsageError
from ..core.fields import SLUG
from ..core.files import write_atomic
from ..core.names import CLAIMS_FILE
from .claimsblock import find_claims_block

SKELETON = """\
{i}- id: {id}
{i}  draft: true             # remove this line to publish the claim
{i}  claim: ""               # the claim in neutral words, at most 75 characters
{i}  quote: ""               # the article's exact words, with its quotation marks; … for a gap
{i}  paragraph: 1            # the article paragraph the quote is in (1 = the first)
{i}  claimant:               # whose words are rated: the person quoted, or the outlet for its own wording
{i}    name: ""
{i}    type: Person          # or Organization
{i}    # title: ""           # their position
{i}    # url: https://...    # a page that identifies them
{i}  # attributed_to: ""      # when the outlet is the claimant: whom the article paraphrases
{i}  verdict: needs-context  # accurate, mostly-accurate, needs-context, misleading, inaccurate,
{i}                          # unverifiable or opinion
{i}  summary: ""             # one sentence: the bottom line
{i}  explanation: |          # Markdown: what was checked, what the evidence shows, what is uncertain
{i}    Write the fact-check here.
{i}  sources:                # at least one; accurate needs two independent ones
{i}    - title: ""
{i}      publisher: ""
{i}      kind: primary       # or secondary
{i}      # id: short-name    # lets a check cite this source
{i}      # url: https://...
{i}      # published: YYYY-MM-DD   # or accessed: YYYY-MM-DD for an undated page
{i}      # copy_of: short-name     # a syndicated copy or mirror of another source: counted once
{i}  # checks:               # the arithmetic, recomputed at every build (see the README)
{i}  #   - kind: convert
{i}  #     value: 11.9
{i}  #     from: kg
{i}  #     to: lb
{i}  #     stated: 26.2
{i}  tags: []
{i}  reviewed: YYYY-MM-DD    # the day the fact-check is published
"""


def add_claim(root: Path, claim_id: str) -> Path:
    """Insert the skeleton at the end of the `claims:` list and write the file atomically."""
    if not re.fullmatch(SLUG, claim_id) or len(claim_id) > 64:
        raise UsageError(f"'{claim_id}' cannot be a claim id: use lowercase letters, digits and single "
                         "hyphens, e.g. seizure-total")
    path = root / CLAIMS_FILE
    if not path.is_file():
        raise UsageError(f"no claims.yaml in {root.resolve()}; pass the folder that holds it, or start a new "
                         f"fact-check with 'factsite init {shlex.quote(str(root))}' and add claims to it")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    lines = text.splitlines(keepends=True)
    if any(re.match(rf"\s*-?\s*id:\s*['\"]?{re.escape(claim_id)}['\"]?\s*(#.*)?$", line) for line in lines):
        raise UsageError(f"claims.yaml already has a claim '{claim_id}'; choose another id")
    found = find_claims_block(lines)
    if found is None:
        raise UsageError("claims.yaml has no 'claims:' section at the left margin; add 'claims:' first")
    insert_at = found.last_content + 1
    if lines and not lines[insert_at - 1].endswith("\n"):
        lines[insert_at - 1] += "\n"
    block = SKELETON.format(i=found.indent if found.indent is not None else "  ", id=claim_id)
    lines.insert(insert_at, block)
    write_atomic(path, "".join(lines).encode("utf-8"))
    return path
