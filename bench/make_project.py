"""Make a large benchmark project by repeating the shipped claims under new ids.

The shipped claims stay in claims.yaml, as they are (the preview benchmarks edit them there); the
copies go to claims/*.yaml, 100 to a file, since one YAML file may hold at most 100,000 values.
For a corpus of realistic, varied claims and the same site for Hugo, see corpus.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 100
"""Copied claims per claims/*.yaml file."""


def make_project(target: Path, claims: int) -> Path:
    """Copy the shipped project into `target` with `claims` claims (the shipped ones, repeated)."""
    for name in ("templates", "static", "content"):  # the shipped site's own files; the rest is the theme
        shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True)
    text = (ROOT / "claims.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nclaims:\n")
    body, events_marker, events = rest.partition("\nevents:\n")
    blocks = re.split(r"(?m)^(?=  - id: )", body)
    preamble, originals = blocks[0], [b for b in blocks[1:] if b.strip()]
    kept, copies = [], []
    for n in range(claims):
        block = originals[n % len(originals)]
        if n < len(originals):
            kept.append(block)
        else:
            block = re.sub(r"(?m)^  - id: (\S+)", rf"  - id: \1-{n}", block, count=1)
            copies.append("\n".join(line[2:] for line in block.split("\n")))  # a bare list at the margin
    (target / "claims.yaml").write_text(
        head + "\nclaims:\n" + preamble + "".join(kept) + events_marker + events, encoding="utf-8")
    if copies:
        folder = target / "claims"
        folder.mkdir(exist_ok=True)
        for start in range(0, len(copies), CHUNK):
            (folder / f"copies-{start // CHUNK + 1:04d}.yaml").write_text(
                "".join(copies[start:start + CHUNK]), encoding="utf-8")
    return target
