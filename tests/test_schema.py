"""claims.schema.json: generated from the model, in sync, valid, and accepting valid projects' claims.yaml."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from support.project import MINIMAL_CLAIMS, REPO, RICH

SCHEMA_FILE = REPO / "claims.schema.json"


class _Yaml12Loader(yaml.SafeLoader):
    """Safe loading as YAML 1.2's core schema reads it: dates and yes/no stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load_12(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_schema_file_is_in_sync_with_the_model() -> None:
    generated = subprocess.run([sys.executable, "-m", "factsite.project.schema"], cwd=REPO, capture_output=True,
                               text=True, check=True).stdout
    assert generated == SCHEMA_FILE.read_text(encoding="utf-8"), "claims.schema.json is stale: run 'make schema'"


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def schema_errors(schema: dict[str, Any], claims_file: Path) -> list[str]:
    """Return where and how a claims.yaml breaks the schema."""
    data = load_12(claims_file.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


@pytest.mark.parametrize("claims_file", [RICH / "claims.yaml", REPO / "tests" / "fixtures" / "fork" / "claims.yaml"],
                         ids=["rich", "fork"])
def test_the_fixture_projects_claims_validate_against_the_schema(schema: dict[str, Any], claims_file: Path) -> None:
    assert schema_errors(schema, claims_file) == []


@pytest.mark.shipped
def test_shipped_claims_validate_against_the_schema(schema: dict[str, Any]) -> None:
    assert schema_errors(schema, REPO / "claims.yaml") == []


def test_minimal_claims_validate_against_the_schema(schema: dict[str, Any]) -> None:
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(load_12(MINIMAL_CLAIMS))) == []


@pytest.mark.parametrize(("old", "new"), [
    ("    verdict: accurate\n    summary: The court", "    verdict: 5\n    summary: The court"),
    ("    summary: The court gave the same figure.", "    sumary: The court gave the same figure."),
    ("        relation: equal", "        relation: equal\n        value: 3"),
    ("  base_url: https://example.org/checks/", "  base_url: javascript:alert(1)"),
    ("    tags: [seizure]", "    tags: [Seizure Cases]"),
    ("    paragraph: 2", "    paragraph: 0"),
])
def test_schema_rejects_what_the_build_rejects(schema: dict[str, Any], old: str, new: str) -> None:
    data = load_12(MINIMAL_CLAIMS.replace(old, new))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) != []


@pytest.mark.shipped
def test_shipped_claims_reference_the_schema_on_the_first_line() -> None:
    first = (REPO / "claims.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=claims.schema.json"


def test_every_field_of_the_schema_is_documented(schema: dict[str, Any]) -> None:
    undocumented = []
    for name, definition in schema["$defs"].items():
        variants = definition.get("oneOf") or definition.get("anyOf") or [definition]
        for variant in variants:
            for key, prop in variant.get("properties", {}).items():
                if not prop.get("description"):
                    undocumented.append(f"{name}.{key}")
    assert undocumented == []
