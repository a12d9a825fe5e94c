"""YAML loading that remembers where every value came from, so errors can name the line.

It also drops YAML 1.1's yes/no/on/off booleans: ``NO`` is Norway here, not ``False``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import ErrorDetails

from flowmap.errors import Issue, PathKey, ValidationFailed, format_path, pydantic_messages


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class LocatedDocument:
    """A parsed YAML document plus the 1-based line of each path in it."""

    def __init__(self, name: str, data: Any, lines: dict[PathKey, int]) -> None:
        self.name = name
        self.data = data
        self.lines = lines

    def line_of(self, path: PathKey) -> int | None:
        """The line of the deepest known prefix of ``path`` (pydantic paths may point past the YAML)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def issue(self, path: PathKey, message: str) -> Issue:
        return Issue(file=self.name, path=format_path(path), message=message, line=self.line_of(path))


def _build(loader: _Loader, node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = _build(loader, value_node, (*path, str(key)), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, (*path, i), lines) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(file: Path, display_name: str | None = None) -> LocatedDocument:
    name = display_name or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed([Issue(file=name, path="", message=f"cannot read file: {exc}")]) from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        data = _build(loader, node, (), lines) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ValidationFailed([Issue(file=name, path="", message=f"invalid YAML: {exc}", line=line)]) from exc
    finally:
        loader.dispose()
    return LocatedDocument(name, data, lines)


def pydantic_issues(doc: LocatedDocument, errors: Sequence[ErrorDetails]) -> list[Issue]:
    return [doc.issue(path, message) for path, message in pydantic_messages(errors)]
