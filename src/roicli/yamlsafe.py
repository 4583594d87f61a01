"""Safe YAML loading that remembers where every value came from.

Anchors, aliases and duplicate keys are rejected (they hide mistakes and allow alias bombs);
each value's line is recorded by its key path so validation errors can name ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from roicli.errors import ConfigError, Location

MAX_CONFIG_BYTES = 1_000_000

KeyPath = tuple[str | int, ...]


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases outright."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&name, *name) are not allowed; write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def load_yaml(path: Path) -> tuple[Any, dict[KeyPath, int]]:
    """Parse a YAML file into plain Python data and a map from key path to 1-based line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the config file: {exc.strerror or exc}",
            location=Location(path),
            fix="check the path given with -c/--config",
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"the config file is {len(raw):,} bytes, more than the {MAX_CONFIG_BYTES:,} allowed",
            location=Location(path),
            fix="a config holds settings; keep data in the source files",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the config file is not UTF-8 (byte {exc.start})",
            location=Location(path),
            fix="save it as UTF-8",
        ) from None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"invalid YAML: {problem}", location=Location(path, line=line)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", location=Location(path)) from None
    if node is None:
        return None, {}
    lines: dict[KeyPath, int] = {}
    return _Builder(path, lines).build(node, ()), lines


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a document without anchors or aliases.

    libyaml's parser, when installed, is ten times faster; any problem it sees is left to the
    Python parser to report, in the words the messages are written for.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            events = yaml.parse(text, Loader=fast)
            if not any(
                isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events
            ):
                return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_NoAliasLoader)


class _Builder:
    """Turns a composed node tree into Python data, recording each key path's line."""

    def __init__(self, path: Path, lines: dict[KeyPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, key_path: KeyPath) -> Any:
        """Convert one node (recursively), keyed by its path from the document root."""
        self.lines.setdefault(key_path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key_path, index)) for index, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            raise ConfigError(
                f"cannot read the value {node.value!r}: {_problem(exc)}",
                location=Location(self.path, line=node.start_mark.line + 1),
                field=dotted(key_path) or None,
            ) from None

    def _mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            try:
                key = self.constructor.construct_object(key_node)
            except (ValueError, yaml.YAMLError) as exc:  # a tagged key: !!binary, !!python/…
                raise ConfigError(
                    f"cannot read the key {key_node.value!r}: {_problem(exc)}",
                    location=Location(self.path, line=line),
                ) from None
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise ConfigError(
                    f"a mapping key must be text, got {key!r}",
                    location=Location(self.path, line=line),
                )
            key = str(key)
            if key in result:
                raise ConfigError(
                    f"duplicate key {key!r} (first at line {self.lines[(*key_path, key)]})",
                    location=Location(self.path, line=line),
                    fix="keep only one of them",
                )
            self.lines[(*key_path, key)] = line
            result[key] = self.build(value_node, (*key_path, key))
        return result


def _problem(exc: Exception) -> str:
    """An error's own words on one line, without PyYAML's quote of the source."""
    return " ".join(str(getattr(exc, "problem", None) or exc).split())


def dotted(key_path: KeyPath) -> str:
    """A key path as users read it: ``programs[0].objectives[1].target``."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
