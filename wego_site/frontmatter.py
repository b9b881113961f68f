"""Safe YAML loading with a line map, and front-matter splitting.

PyYAML's own loaders have hazards for content written by people: duplicate
keys silently keep the last value, YAML 1.1 turns ``NO`` into ``False`` and
``12:30`` into 750, aliases allow "billion laughs" documents, and timestamps
become naive datetimes. Here the C (or pure) *parser* composes a node graph and
this module builds plain Python values from it itself, so that:

* only ``true``/``false`` are booleans, only decimal digits are integers
  (``0755`` stays a string), and there are no implicit timestamps;
* a node reached twice (an alias, including a self-referencing one) is an
  error, found before anything is expanded;
* a repeated key is an error naming both lines;
* explicit tags (``!!python/object`` ...) are refused;
* every mapping key's source line is recorded in a :class:`LineMap`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ContentError

MAX_YAML_BYTES = 256 * 1024
MAX_DEPTH = 40

Loc = tuple[str | int, ...]


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema-like implicit typing (no 1.1 surprises)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

try:  # the C parser is ~10x faster; the pure one behaves the same here
    from yaml._yaml import CParser as _CParser

    _CPARSER = True
except ImportError:  # pragma: no cover - libyaml missing
    _CPARSER = False


if _CPARSER:

    class _Composer(_CParser, _Resolver):
        """Composes nodes with libyaml, typing scalars with :class:`_Resolver`."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


@dataclass
class LineMap:
    """Source line of every mapping key and sequence item, by location."""

    lines: dict[Loc, int] = field(default_factory=dict)
    offset: int = 0

    def line(self, loc: Loc) -> int:
        """The line of ``loc`` or of its nearest located parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc] + self.offset
            loc = loc[:-1]
        return self.lines.get((), 1) + self.offset


class _Builder:
    """Turns a composed node graph into Python values, refusing hazards."""

    def __init__(self, path: str, linemap: LineMap) -> None:
        self.path = path
        self.linemap = linemap
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, msg: str, fld: str = "") -> ContentError:
        return ContentError(self.path, node.start_mark.line + 1 + self.linemap.offset, fld, msg)

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        if id(node) in self.seen:
            raise self.error(node, "YAML anchors and aliases (&name / *name) are not allowed")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.error(node, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, "tag:yaml.org,2002:seq")
            out = []
            for i, item in enumerate(node.value):
                self.linemap.lines.setdefault(loc + (i,), item.start_mark.line + 1)
                out.append(self.build(item, loc + (i,), depth + 1))
            return out
        if isinstance(node, yaml.MappingNode):
            self.check_tag(node, "tag:yaml.org,2002:map")
            result: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.error(key_node, "merge keys (<<) are not allowed")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error(key_node, "a key must be a plain word")
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                line = key_node.start_mark.line + 1
                if key in result:
                    raise self.error(
                        key_node,
                        f"duplicate key '{key}' (first on line "
                        f"{first_line[key] + self.linemap.offset})",
                        ".".join(str(p) for p in loc + (key,)),
                    )
                first_line[key] = line
                self.linemap.lines[loc + (key,)] = line
                result[key] = self.build(value_node, loc + (key,), depth + 1)
            return result
        raise self.error(node, "unsupported YAML node")  # pragma: no cover

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise self.error(node, f"explicit YAML tags are not allowed ({node.tag})")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:int":
            return int(value)
        if tag == "tag:yaml.org,2002:float":
            return float(value)
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        raise self.error(node, f"explicit YAML tags are not allowed ({tag})")


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse one YAML document strictly; return its value and a line map.

    Raises :class:`ContentError` for any problem, never a YAML exception.
    """
    linemap = LineMap(offset=line_offset)
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise ContentError(path, 1 + line_offset, "", f"YAML larger than {MAX_YAML_BYTES} bytes")
    for n, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.lstrip(" ")
        if stripped.startswith("\t"):
            raise ContentError(path, n + line_offset, "", "tab used for indentation; use spaces")
    try:
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as exc:
        # the context mark (where an unclosed bracket or quote opened) is where
        # an editor has to look; the problem mark is often the end of the text
        mark = exc.context_mark or exc.problem_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        raise ContentError(path, line, "", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, 1 + line_offset, "", f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ContentError(path, 1 + line_offset, "", "YAML nested too deeply") from None
    if node is None:
        return None, linemap
    linemap.lines[()] = node.start_mark.line + 1
    try:
        value = _Builder(path, linemap).build(node, ())
    except RecursionError:
        raise ContentError(path, 1 + line_offset, "", "YAML nested too deeply") from None
    return value, linemap


def decode(raw: bytes, path: str) -> str:
    """Strict UTF-8 decoding, BOM stripped, newlines normalised to ``\\n``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            path, line, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Content files larger than this are refused.
MAX_FILE_BYTES = 1024 * 1024

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    """A content file split into front matter and body."""

    meta: dict[str, Any]
    lines: LineMap
    body: str
    body_line: int


def split_parts(text: str, path: str) -> tuple[str, str, int]:
    """The YAML text, the body and the body's first line, without parsing the YAML."""
    if not text.startswith("---"):
        raise ContentError(path, 1, "", "missing front matter: the file must start with '---'")
    first = _FENCE.match(text)
    if not first:
        raise ContentError(path, 1, "", "the first line must be exactly '---'")
    closing = _FENCE.search(text, first.end())
    if not closing:
        raise ContentError(path, 1, "", "front matter is not closed by a '---' line")
    yaml_text = text[first.end() + 1 : closing.start()]
    body = text[closing.end() + 1 :] if closing.end() < len(text) else ""
    return yaml_text, body, text.count("\n", 0, closing.end()) + 2


def split_front_matter(text: str, path: str) -> Document:
    """Split ``---`` YAML front matter from a Markdown body and parse it."""
    yaml_text, body, body_line = split_parts(text, path)
    meta, lines = load_yaml(yaml_text, path, line_offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "", "front matter must be a mapping of 'field: value' lines")
    return Document(meta, lines, body, body_line)
