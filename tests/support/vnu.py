"""Validate HTML files with the Nu Html Checker (vnu.jar) in one Java run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class VnuError:
    """One error the checker reported, with where it is."""

    file: Path
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else str(self.file)
        return f"{where}: {self.message} [{self.extract.strip()}]"


def require_vnu() -> tuple[str, Path]:
    """Return (java, vnu.jar); skip when either is missing, or fail when CI=true."""
    java = shutil.which("java")
    reason = None
    if java is None:
        reason = "java not found (install default-jre-headless)"
    elif not VNU_JAR.is_file():
        reason = f"vnu.jar not installed at {VNU_JAR} (run `npm ci`)"
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return java, VNU_JAR


def _path_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def validate(files: list[Path]) -> list[VnuError]:
    """Check every file for HTML errors in one checker run and return the errors."""
    if not files:
        return []
    missing = [str(file) for file in files if not Path(file).is_file()]
    if missing:
        raise FileNotFoundError(f"not files, so the checker would skip them: {missing}")
    java, jar = require_vnu()
    command = [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--errors-only"]
    command += [str(Path(file).resolve()) for file in files]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"vnu.jar gave no JSON report: {result.stderr[-2000:]}") from exc
    errors = []
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        errors.append(
            VnuError(
                file=_path_of(message.get("url", "")),
                line=message.get("lastLine"),
                column=message.get("firstColumn") or message.get("lastColumn"),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    return errors
