"""The JSON Schema of scenario files (``planner.scenario/1``, SPEC 2.7.5), generated from the
models, so that editors complete and check scenario files.

Every field's description is the one written on the model (``Field(description=...)``);
unknown keys are refused (``additionalProperties: false``, the models' ``extra="forbid"``);
durations, times of day, hour ranges and dates are patterns on text (and whole minutes
where a duration may be an integer); defaults are shown as a scenario file writes them
(``"06:00"``, ``"10h"``), not as the minutes the models hold.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from planner.models.scenario import Scenario
from planner.models.values import SCHEMA

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect written (draft 2020-12, which pydantic generates)."""


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``planner.scenario/1``.

    Returns
    -------
    dict
        A draft 2020-12 schema: the :class:`~planner.models.scenario.Scenario` model and
        every model under it in ``$defs``, each closed to unknown keys.
    """
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    definitions: dict[str, Any] = schema.get("$defs", {})
    for model in _models_under(Scenario):
        properties = (
            schema["properties"] if model is Scenario else definitions[model.__name__]["properties"]
        )
        for name, field in model.model_fields.items():
            entry = properties.get(field.alias or name)
            if entry is not None and "default" in entry:
                entry["default"] = _written_default(field)
    return {"$schema": DIALECT, "$id": f"urn:planner:{SCHEMA}", **schema, "title": SCHEMA}


def _written_default(field: FieldInfo) -> Any:
    """Return a field's default as a scenario file writes it (through the field's own
    serialiser: ``360`` minutes after midnight is ``"06:00"``)."""
    annotated: Any = field.annotation
    if field.metadata:
        annotated = Annotated[(field.annotation, *field.metadata)]
    return TypeAdapter(annotated).dump_python(field.default, mode="json", by_alias=True)


def _models_under(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Return ``root`` and every model its fields hold, each once, in the order met."""
    found: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            pending.extend(_models_in(field.annotation))
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Return the models an annotation holds (through ``Annotated``, lists and unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Annotated, list, tuple, typing.Union, types.UnionType):
        arguments = typing.get_args(annotation)
        if origin is typing.Annotated:
            arguments = arguments[:1]
        return [model for argument in arguments for model in _models_in(argument)]
    return []
