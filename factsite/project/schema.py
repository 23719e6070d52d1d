"""Generate claims.schema.json (JSON Schema 2020-12) from the model, for editors: `make schema`."""

from __future__ import annotations

import json
from typing import Any

from ..core.fields import FieldType, ListOf, Record, model_fields
from .model import ClaimsFile

SCHEMA_ID = "https://factsite.example/claims.schema.json"


def _records(kind: FieldType, found: dict[str, Record]) -> None:
    """Collect every record type reachable from `kind`, depth first."""
    if isinstance(kind, ListOf):
        _records(kind.item, found)
    if isinstance(kind, Record) and kind.cls.__name__ not in found:
        found[kind.cls.__name__] = kind
        for field in model_fields(kind.cls):
            _records(field.metadata["type"], found)
        for extra in kind.nested() if hasattr(kind, "nested") else ():
            _records(extra, found)


def claims_schema() -> dict[str, Any]:
    """Return the JSON Schema of claims.yaml."""
    records: dict[str, Record] = {}
    _records(Record(ClaimsFile), records)
    top = records.pop("ClaimsFile").definition()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "factsite claims.yaml",
        **top,
        "$defs": {name: records[name].definition() for name in sorted(records)},
    }


def schema_text() -> str:
    """Return the schema as the committed file's text."""
    return json.dumps(claims_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
