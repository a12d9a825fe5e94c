"""YAML loading that remembers where every value came from, so errors can name the line.

It also drops YAML 1.1's yes/no/on/off booleans: ``NO`` is Norway here, not ``False``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
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


_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_PLAIN_KEY = (str, int, float, bool, type(None), date)
# Aliases may repeat a node (the law files share pattern lists); past this many values per distinct node, a file is
# an alias bomb ("billion laughs": a few lines that expand to 10^9 values), refused before it takes all the memory.
_ALIAS_EXPANSION, _ALIAS_SLACK = 10, 100_000


class _Builder:
    """Builds the data of one YAML node graph, recording each path's line; any value it cannot take is an Issue."""

    def __init__(self, loader: _Loader, name: str) -> None:
        self.loader, self.name = loader, name
        self.lines: dict[PathKey, int] = {}
        self.seen: set[int] = set()
        self.built = 0

    def fail(self, node: yaml.Node, path: PathKey, message: str) -> ValidationFailed:
        return ValidationFailed([Issue(self.name, format_path(path), message, line=node.start_mark.line + 1)])

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines[path] = node.start_mark.line + 1
        self.seen.add(id(node))
        self.built += 1
        if self.built > _ALIAS_EXPANSION * len(self.seen) + _ALIAS_SLACK:
            raise self.fail(node, path, "aliases expand this file to too many values (an alias bomb?)")
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self.fail(node, path, f"unsupported tag {node.tag!r} on a mapping")
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, _PLAIN_KEY):
                    raise self.fail(key_node, path, "a mapping key must be a plain value, not a list or mapping")
                if key in out:
                    raise self.fail(key_node, (*path, str(key)), f"duplicate key {key!r}")
                out[key] = self.build(value_node, (*path, str(key)))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, path, f"unsupported tag {node.tag!r} on a list")
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError as exc:  # e.g. an integer of 5000 digits (Python refuses to convert it)
            raise self.fail(node, path, f"cannot read this value: {exc}") from None


def load_yaml(file: Path, display_name: str | None = None) -> LocatedDocument:
    """Parse one YAML file; every problem (syntax, NUL and other forbidden characters, nesting, alias bombs,
    complex or duplicate keys, unknown tags) is a ValidationFailed naming the file and, where known, the line."""
    name = display_name or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed([Issue(file=name, path="", message=f"cannot read file: {exc}")]) from exc
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader already refuses NUL and other control characters here
        node = loader.get_single_node()
        builder = _Builder(loader, name)
        data = builder.build(node, ()) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, yaml.reader.ReaderError):  # a forbidden character: its position, not a mark
            line = text.count("\n", 0, exc.position) + 1
        raise ValidationFailed([Issue(file=name, path="", message=f"invalid YAML: {exc}", line=line)]) from None
    except RecursionError:  # thousands of nested brackets, or an alias that contains itself
        raise ValidationFailed([Issue(file=name, path="", message="nested too deeply to read")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return LocatedDocument(name, data, builder.lines)


def pydantic_issues(doc: LocatedDocument, errors: Sequence[ErrorDetails]) -> list[Issue]:
    return [doc.issue(path, message) for path, message in pydantic_messages(errors)]
