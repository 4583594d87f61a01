"""Safe YAML loading that remembers where every value came from.

Anchors, aliases and duplicate keys are rejected (they hide mistakes and allow alias bombs);
each value's line is recorded by its key path so validation errors can name ``file:line``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from roicli.errors import ConfigError, Location, shorten

MAX_CONFIG_BYTES = 1_000_000
MAX_DEPTH = 50  # lists and mappings inside each other; a config needs fewer than ten

KeyPath = tuple[str | int, ...]


class _TooDeep(Exception):
    """Lists and mappings nested more than MAX_DEPTH deep (which would exhaust the stack)."""

    def __init__(self, line: int | None) -> None:
        super().__init__(line)
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases outright, and nesting beyond MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&name, *name) are not allowed; write the value out",
                problem_mark=event.start_mark,
            )
        if not isinstance(event, yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(_line(event))
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_config(path: Path) -> bytes:
    """The config file's bytes, read once (a pipe such as ``/dev/stdin`` cannot be read twice)
    and never more than ``MAX_CONFIG_BYTES`` + 1 of them, whatever the file's size."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise ConfigError(
            f"cannot read the config file: {exc.strerror or exc}",
            location=Location(path),
            fix="check the path given with -c/--config",
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        # A pipe has no size: only that it holds more than the limit is known.
        held = (
            f"is {size:,} bytes, more than the {MAX_CONFIG_BYTES:,}"
            if size > MAX_CONFIG_BYTES
            else f"holds more than the {MAX_CONFIG_BYTES:,} bytes"
        )
        raise ConfigError(
            f"the config file {held} allowed",
            location=Location(path),
            fix="a config holds settings; keep data in the source files",
        )
    return raw


def load_yaml(path: Path, raw: bytes) -> tuple[Any, dict[KeyPath, int]]:
    """Parse a YAML file's bytes into plain Python data and a map from key path to 1-based line."""
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
    except _TooDeep as exc:
        raise ConfigError(
            f"lists and mappings are nested more than {MAX_DEPTH} deep",
            location=Location(path, line=exc.line),
            fix="a config needs a few levels only; look for unclosed brackets",
        ) from None
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
    """The node tree of a document without anchors or aliases, nested at most MAX_DEPTH deep.

    libyaml's parser, when installed, is ten times faster; any problem it sees is left to the
    Python parser to report, in the words the messages are written for.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            if _plain(yaml.parse(text, Loader=fast)):
                return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_NoAliasLoader)


def _line(event: yaml.Event) -> int | None:
    """The 1-based line where an event starts."""
    mark = event.start_mark
    return mark.line + 1 if mark else None


def _plain(events: Iterable[yaml.Event]) -> bool:
    """Whether no event is an anchor or an alias; raise _TooDeep past MAX_DEPTH levels."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(_line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


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
        location = Location(self.path, line=node.start_mark.line + 1)
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            shown = shorten(str(node.value))
            if node.tag == "tag:yaml.org,2002:int":  # more digits than Python converts
                raise ConfigError(
                    f"cannot read the value {shown!r}: {len(node.value):,} digits",
                    location=location,
                    field=dotted(key_path) or None,
                    fix="numbers in a config are at most 10¹² in size",
                ) from None
            raise ConfigError(
                f"cannot read the value {shown!r}: {_problem(exc)}",
                location=location,
                field=dotted(key_path) or None,
            ) from None
        return _whole_characters(value, location, dotted(key_path))

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
            key = _whole_characters(str(key), Location(self.path, line=line), dotted(key_path))
            if key in result:
                raise ConfigError(
                    f"duplicate key {key!r} (first at line {self.lines[(*key_path, key)]})",
                    location=Location(self.path, line=line),
                    fix="keep only one of them",
                )
            self.lines[(*key_path, key)] = line
            result[key] = self.build(value_node, (*key_path, key))
        return result


def _whole_characters(value: Any, location: Location, field: str) -> Any:
    """Text with surrogate pairs written as two escapes ("\\ud83d\\ude00") joined; a lone
    surrogate, half of a pair, is not a character and cannot be written to any report."""
    if not isinstance(value, str) or value.isascii():
        return value
    joined = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if "\ufffd" in joined and "\ufffd" not in value:
        lone = next(c for c in value if "\ud800" <= c <= "\udfff")
        raise ConfigError(
            f"the text holds {lone!r}, half of a UTF-16 surrogate pair, which is no character",
            location=location,
            field=field or None,
            fix="write the character itself, or its \\U0001xxxx escape",
        )
    return joined


def _problem(exc: Exception) -> str:
    """An error's own words on one line, without PyYAML's quote of the source."""
    return " ".join(str(getattr(exc, "problem", None) or exc).split())


def dotted(key_path: KeyPath) -> str:
    """A key path as users read it: ``programs[0].objectives[1].target``."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
