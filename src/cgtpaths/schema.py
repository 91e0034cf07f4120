"""JSON Schemas for the data files, generated from the models (for editors; the loader is the authority)."""

from __future__ import annotations

import json
from typing import Any


def file_schema(kind: str) -> dict[str, Any]:
    from pydantic import ConfigDict, create_model

    from cgtpaths import model
    from cgtpaths.load import TOP_KEYS

    record = model.FILES[kind]
    key = TOP_KEYS.get(kind, kind)
    wrapper = create_model(  # type: ignore[call-overload]
        f"{kind.capitalize()}File",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"cgtpaths data file {kind}.yaml: one key, '{key}', holding a list of records.",
        **{key: (list[record], ...)},  # type: ignore[valid-type]
    )
    schema: dict[str, Any] = wrapper.model_json_schema()
    return schema


def schemas() -> dict[str, str]:
    """file name -> schema text, exactly as committed under data/schema/."""
    from cgtpaths import model

    out = {
        f"{kind}.schema.json": json.dumps(file_schema(kind), indent=2, sort_keys=True) + "\n" for kind in model.FILES
    }
    from pydantic import TypeAdapter

    dataset = TypeAdapter(model.Dataset).json_schema()
    out["dataset.schema.json"] = json.dumps(dataset, indent=2, sort_keys=True) + "\n"
    return out
