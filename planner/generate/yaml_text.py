"""Generated scenario data written as scenario-file text, the same data always giving the
same text: dates, times and codes that YAML 1.1 would misread (``NO``, ``06:00``)
quoted, short lists and entries inline, a blank line between the big blocks.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


def scenario_yaml(data: dict[str, Any]) -> str:
    """Write generated scenario data as scenario-file text.

    Dates, times and codes that YAML 1.1 would misread (``NO``, ``06:00``) are
    quoted; short lists and entries are written inline. The same data always
    gives the same text.
    """
    body = yaml.dump(
        _styled(data),
        Dumper=_ScenarioDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,  # never fold a line: entries are kept short where it matters
        default_flow_style=False,
    )
    lines = body.splitlines()
    spaced: list[str] = []
    for line in lines:
        if spaced and _TOP_LEVEL_BLOCK.match(line):
            spaced.append("")
        spaced.append(line)
    header = (
        f"# {data.get('name', 'Generated scenario')}\n"
        "# Written by `planner generate`; calibrated to the agency's 2024 figures\n"
        "# (see planner/generate.py for every figure and its source).\n"
    )
    return header + "\n".join(spaced) + "\n"


_TOP_LEVEL_BLOCK = re.compile(r"^(countries|rooms|interpreters|cases|meetings|action_days):")
_QUOTED = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?|\d{1,2}:\d{2}(?:-\d{1,2}:\d{2})?"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$"
)
_INLINE_WIDTH = 100
_INLINE_LISTS = ("after", "prepared_by", "unavailable")
_INLINE_ENTRIES = ("countries", "rooms", "interpreters", "participants")
_INLINE_BLOCKS = ("host", "horizon", "defaults", "coordination_centre", "links", "pinned")


class _Inline(list[Any]):
    """A list written on one line."""


class _InlineMap(dict[str, Any]):
    """A mapping written on one line."""


class _ScenarioDumper(yaml.SafeDumper):
    """Block style for the big blocks, inline for short entries, list items indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, as scenario files are written."""
        super().increase_indent(flow, False)


def _is_scalar(value: Any) -> bool:
    """Whether a value is written as a scalar (no list, no mapping)."""
    return not isinstance(value, list | dict)


def _inline_length(value: Any) -> int:
    """Return about how long a value is written on one line."""
    if isinstance(value, dict):
        return sum(len(str(k)) + 2 + _inline_length(v) for k, v in value.items()) + 2
    if isinstance(value, list):
        return sum(_inline_length(v) + 2 for v in value) + 2
    return len(str(value)) + 2


def _styled(value: Any, key: str | None = None, entry_of: str | None = None) -> Any:
    """Mark which lists and mappings are written on one line."""
    if isinstance(value, list):
        items = [_styled(item, entry_of=key) for item in value]
        inline = all(_is_scalar(item) for item in value) or key in _INLINE_LISTS
        if inline and _inline_length(value) <= _INLINE_WIDTH:
            return _Inline(items)
        return items
    if isinstance(value, dict):
        fields = {k: _styled(v, k) for k, v in value.items()}
        flat = all(isinstance(v, _Inline | _InlineMap) or _is_scalar(v) for v in fields.values())
        short = _inline_length(value) <= _INLINE_WIDTH
        if flat and (
            key in _INLINE_BLOCKS
            or entry_of in _INLINE_LISTS
            or (entry_of in _INLINE_ENTRIES and short)
        ):
            return _InlineMap(fields)
        return fields
    return value


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Write a text, quoted when YAML 1.1 would read it as something else."""
    style = '"' if _QUOTED.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(flow: bool) -> Any:
    """Return the writer of lists, on one line (``flow``) or one item a line."""

    def represent(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        """Write a list."""
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    return represent


def _represent_dict(flow: bool) -> Any:
    """Return the writer of mappings, on one line (``flow``) or one key a line."""

    def represent(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
        """Write a mapping."""
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    return represent


_ScenarioDumper.add_representer(str, _represent_str)
_ScenarioDumper.add_representer(list, _represent_list(False))
_ScenarioDumper.add_representer(_Inline, _represent_list(True))
_ScenarioDumper.add_representer(dict, _represent_dict(False))
_ScenarioDumper.add_representer(_InlineMap, _represent_dict(True))
