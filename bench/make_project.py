"""Make a large benchmark project by repeating the shipped claims under new ids."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_project(target: Path, claims: int) -> Path:
    """Copy the shipped project into `target` with `claims` claims (the shipped ones, repeated)."""
    for name in ("templates", "static", "content"):  # the shipped site's own files; the rest is the theme
        shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True)
    text = (ROOT / "claims.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nclaims:\n")
    body, events_marker, events = rest.partition("\nevents:\n")
    blocks = re.split(r"(?m)^(?=  - id: )", body)
    preamble, originals = blocks[0], [b for b in blocks[1:] if b.strip()]
    copies = []
    for n in range(claims):
        block = originals[n % len(originals)]
        if n >= len(originals):
            block = re.sub(r"(?m)^  - id: (\S+)", rf"  - id: \1-{n}", block, count=1)
        copies.append(block)
    (target / "claims.yaml").write_text(
        head + "\nclaims:\n" + preamble + "".join(copies) + events_marker + events, encoding="utf-8")
    return target
