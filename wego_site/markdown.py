"""The one configured Markdown renderer.

Built from markdown-it's ``js-default`` preset: raw HTML is off (it shows as
text), tables and strikethrough are on, and markdown-it's own ``validateLink``
refuses ``javascript:``, ``vbscript:``, ``file:`` and non-image ``data:`` links.
Two small rules are added: site-relative links and images (``/members/seoul/``)
get the base URL's prefix, and headings get ``id`` attributes for anchors.
Rendering is pure (same text and prefix -> same HTML), so results are cached by
content hash.

Rendering time is kept linear in the body's size. markdown-it-py walks forward
from every ``[`` to find its ``]``, and from every ``](`` to the end of the link
destination; only its nesting limits (100 levels of brackets, 32 of
parentheses) keep those walks from being quadratic, and they still cost up to
~100 steps per character (a minute for 1 MiB of ``[``). Here:

* :func:`parse_link_label` and :class:`DestinationParser` replace those two
  helpers with ones that give the same answers but remember each walk, so a
  later walk jumps over it instead of repeating it;
* images inside image descriptions (which markdown-it parses again per level)
  may nest :data:`MAX_IMAGE_NESTING` deep, and the reference labels looked up
  may total :data:`LABEL_BUDGET` times the body's size;
* what is left costs a roughly constant time per character, ~10x more per
  markup character than per letter, so a body holds at most
  :data:`MAX_MARKUP_CHARS` of those.

:func:`body_problems` reports a body over a limit as content errors with line
numbers; :meth:`Markdown.render` raises :class:`MarkdownLimitError` for it.
Nothing any real page contains comes near a limit, and below them the HTML is
exactly markdown-it-py's.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it import helpers as mdit_helpers
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.rules_inline.image import image as mdit_image

from . import markdown_native
from .writer import read_checked, write_checked


def slugify(text: str) -> str:
    """ASCII slug for heading ids."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "section"


#: Bump when the renderer's rules change, so cached HTML is not reused.
RENDERER_VERSION = "3"

#: Characters at which markdown-it's inline parser stops to try its rules (its
#: "terminators"; ``\r`` becomes ``\n``), and ``|`` (table cells).
MARKUP_CHARS = "\n\r!#$%&*+-:<=>@[\\]^_`{}~|"

#: At most this many :data:`MARKUP_CHARS` in one body: one to two seconds of
#: rendering here at worst, and ~250 times what the longest page in content/ has.
MAX_MARKUP_CHARS = 100_000

#: Images may sit inside image descriptions (``![![a](b)](c)``) this deep.
MAX_IMAGE_NESTING = 4

#: The reference labels looked up (every closed ``[...]`` once reference
#: definitions exist) may total this many times the body's length.
LABEL_BUDGET = 8

_DELETE_MARKUP = str.maketrans("", "", MARKUP_CHARS)
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_SHOWN = "[ ] ! * _ ` ~ | < & \\ # - : and line breaks"
_LINE = "wego_line"
_IMAGE_DEPTH = "wego_image_depth"
_LABEL_CHARS = "wego_label_chars"
_LABEL_LIMIT = "wego_label_limit"


def _markup_count(text: str) -> int:
    return len(text) - len(text.translate(_DELETE_MARKUP))


class MarkdownLimitError(ValueError):
    """A body over a limit; ``problems`` as from :func:`body_problems`."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        line, message = problems[0]
        super().__init__(f"line {line} of the body: {message}")
        self.problems = problems

    def __reduce__(self) -> tuple[type[MarkdownLimitError], tuple[list[tuple[int, str]]]]:
        return type(self), (self.problems,)  # survives a worker process


def body_problems(text: str) -> list[tuple[int, str]]:
    """Why ``text`` cannot be rendered, as (1-based line in the body, message) pairs.

    Pure; empty for every ordinary body, and non-empty exactly when
    :meth:`Markdown.render` would raise :class:`MarkdownLimitError`. It counts
    characters (milliseconds per MiB) and, only for a body with more than
    :data:`MAX_IMAGE_NESTING` images or with reference definitions (``]:``),
    also parses it (most of the time rendering takes).
    """
    problems = _static_problems(text)
    if problems:
        return problems
    if _limits_need_parse(text):
        try:
            _checker().parse(text)
        except MarkdownLimitError as error:
            return error.problems
    return []


def _limits_need_parse(text: str) -> bool:
    """Whether a limit other than the markup count could trip (only parsing tells)."""
    return text.count("![") > MAX_IMAGE_NESTING or "]:" in text


def _static_problems(text: str) -> list[tuple[int, str]]:
    """The limit on markup characters, for which counting is enough."""
    total = _markup_count(text)
    if total <= MAX_MARKUP_CHARS:
        return []
    line, most = _densest_paragraph(text)
    return [
        (
            line,
            f"the body has {total:,} Markdown markup characters ({_SHOWN}); more than "
            f"{MAX_MARKUP_CHARS:,} would take too long to render (the paragraph here has "
            f"{most:,}): remove most of them, or split the page into several",
        )
    ]


def _densest_paragraph(text: str) -> tuple[int, int]:
    """The first line and markup count of the blank-line-separated part with most markup."""
    best_line, best, line, start = 1, -1, 1, 0
    for blank in _BLANK_LINE.finditer(text):
        count = _markup_count(text[start : blank.start()])
        if count > best:
            best_line, best = line, count
        line += text.count("\n", start, blank.end()) + 1
        start = blank.end() + 1
    count = _markup_count(text[start:])
    return (line, count) if count > best else (best_line, best)


def _problem(state: Any, message: str) -> MarkdownLimitError:
    return MarkdownLimitError([(state.env.get(_LINE, 1), message)])


def parse_link_label(state: Any, start: int, disableNested: bool = False) -> int:
    """markdown-it's ``parseLinkLabel``, remembering every bracket's walk.

    Returns what markdown-it-py 4.3.0's does, with the same side effects (it
    walks the same ``skipToken`` chain), but an enclosing bracket that reaches
    a ``[`` already walked jumps to where that walk ended instead of walking it
    again. Each walk is kept as (its ``]`` or -1, the first ``[`` it met that
    starts a link or -1, its bracket level there, whether ``disableNested``
    stopped it there). Raises :class:`MarkdownLimitError` when the labels that
    reference lookups would normalise exceed :data:`LABEL_BUDGET`.
    """
    try:
        memo: dict[tuple[int, int, bool], tuple[int, int, int, bool]] = state.wego_labels
    except AttributeError:
        memo = state.wego_labels = {}
    pos_max = state.posMax
    key = (pos_max, start, disableNested)
    done = memo.get(key)
    if done is not None:
        return -1 if done[3] else done[0]
    src = state.src
    skip = state.md.inline.skipToken
    old_pos = state.pos
    pos = state.pos = start + 1
    level = 1
    end = nested = -1
    nested_level = 0
    stopped = False
    while pos < pos_max:
        marker = src[pos]
        if marker == "]":
            level -= 1
            if level == 0:
                end = pos
                break
        skip(state)
        if marker == "[":
            if state.pos != pos + 1:  # a link (or a run cut by maxNesting) starts here
                if nested < 0:
                    nested, nested_level = pos, level
                if disableNested:
                    stopped = True
                    break
            else:  # a plain '[': skipToken has walked its label already
                level += 1
                sub = memo.get((pos_max, pos, True))
                if sub is None or sub[3]:
                    sub = memo.get((pos_max, pos, False), sub)
                if sub is not None:
                    sub_end, sub_nested, sub_level, sub_stopped = sub
                    if sub_nested >= 0:
                        if nested < 0:
                            nested, nested_level = sub_nested, level - 1 + sub_level
                        if disableNested:
                            stopped = True
                            break
                    if sub_stopped:  # resume where it stopped, at its level
                        state.pos, level = sub_nested, level - 1 + sub_level
                    elif sub_end >= 0:  # continue at its ']' (one level up)
                        state.pos = sub_end
                    else:  # it never closed, so neither does this one
                        break
        pos = state.pos
    state.pos = old_pos
    memo[key] = (end, nested, nested_level, stopped)
    if end >= 0 and "references" in state.env:
        env = state.env
        used = env[_LABEL_CHARS] = env.get(_LABEL_CHARS, 0) + end - start
        if used > env.get(_LABEL_LIMIT, LABEL_BUDGET * len(src) + 10_000):
            raise _problem(
                state,
                "brackets nested deeply around long text, with reference definitions in the "
                "body: Markdown would take too long to look the labels up; close or escape "
                "the brackets (\\[)",
            )
    return -1 if stopped else end


class _Destination:
    """What the link rules read from ``parseLinkDestination``'s result."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok, self.pos, self.str = ok, pos, text


_PLAIN = re.compile(r"[^\x00-\x20\x7f\\()]+")
_DEST_START = re.compile(r"\]\([ \t\n]*")
_FAIL, _STOP, _CLOSE = 0, 1, 2
#: How a destination walk from a position ends: (how, where, its parenthesis
#: level there, the highest level it reached).
_Walk = tuple[int, int, int, int]
_FAILED: _Walk = (_FAIL, 0, 0, 0)


class DestinationParser:
    """markdown-it's ``parseLinkDestination``, remembering every walk.

    Same results as markdown-it-py 4.3.0's. A bare destination ends at a space,
    a control character or an unmatched ``)``, and fails past 32 open ``(``;
    markdown-it walks it character by character from every ``](``, so each
    walk may cross the next 32 links. Here runs of ordinary characters are
    skipped with a regular expression, and the walks from all the ``](`` of a
    text are made from the last to the first, each jumping over the ones after
    it. Every walk that reaches such a start arrives there at a character
    boundary (the start follows ``(``), so the jump is exact. Kept per thread
    and per text, until :meth:`reset`.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def reset(self) -> None:
        """Forget the walks (call before each document)."""
        self._local.texts = {}

    def __call__(self, string: str, pos: int, maximum: int) -> _Destination:
        if pos < maximum and string[pos] == "<":
            found = mdit_helpers.parseLinkDestination(string, pos, maximum)
            return _Destination(found.ok, found.pos, found.str)
        texts: dict[tuple[int, int], tuple[str, list[int], dict[int, _Walk]]]
        texts = getattr(self._local, "texts", None) or {}
        self._local.texts = texts
        known = texts.get((id(string), maximum))
        if known is None or known[0] is not string:
            known = texts[(id(string), maximum)] = (string, [maximum], {})
        _, low, walks = known
        if pos < low[0]:  # walk from every '](' in [pos, low) first, the last first
            starts = [m.end() for m in _DEST_START.finditer(string, pos, low[0])]
            for start in reversed(starts):
                if start < maximum and start not in walks and string[start] != "<":
                    walks[start] = _walk(string, start, maximum, walks)
            low[0] = pos
        walk = walks.get(pos)
        if walk is None:
            walk = walks[pos] = _walk(string, pos, maximum, walks)
        how, end, level, _ = walk
        if how == _FAIL or end == pos or level != 0:
            return _Destination()
        return _Destination(True, end, unescapeAll(string[pos:end]))


def _walk(string: str, start: int, maximum: int, walks: dict[int, _Walk]) -> _Walk:
    """markdown-it's destination loop from ``start``, jumping over known walks."""
    pos, level, top = start, 0, 0
    plain = _PLAIN.match
    while pos < maximum:
        if pos != start:
            known = walks.get(pos)
            if known is not None:  # it continues exactly as that walk, ``level`` higher
                how, end, sub_level, sub_top = known
                if how == _FAIL or level + sub_top > 32:
                    return _FAILED
                top = max(top, level + sub_top)
                if how == _STOP:
                    return (_STOP, end, level + sub_level, top)
                if level == 0:  # its ')' ends this walk too
                    return (_CLOSE, end, 0, top)
                level -= 1
                pos = end + 1
                continue
        run = plain(string, pos, maximum)
        if run:
            pos = run.end()
            continue
        char = string[pos]
        if char <= " " or char == "\x7f":
            return (_STOP, pos, level, top)
        if char == "\\":
            if pos + 1 < maximum:
                if string[pos + 1] == " ":
                    return (_STOP, pos, level, top)
                pos += 2
                continue
        elif char == "(":
            level += 1
            if level > 32:
                return _FAILED
            top = max(top, level)
        elif level == 0:  # ')'
            return (_CLOSE, pos, 0, top)
        else:
            level -= 1
        pos += 1
    return (_STOP, pos, level, top)


def _bounded_image(state: Any, silent: bool) -> bool:
    """markdown-it's ``image`` rule, refusing images nested too deep."""
    depth = state.env.get(_IMAGE_DEPTH, 0)
    if depth >= MAX_IMAGE_NESTING:
        if mdit_image(state, True):
            raise _problem(
                state,
                f"images nested more than {MAX_IMAGE_NESTING} deep inside each other's "
                "descriptions (![![...](a)](b)): Markdown would take too long to render "
                "them; escape the brackets (\\[) or flatten the images",
            )
        return False
    if silent:
        return mdit_image(state, True)
    state.env[_IMAGE_DEPTH] = depth + 1
    try:
        return mdit_image(state, False)
    finally:
        state.env[_IMAGE_DEPTH] = depth


def configure(md: MarkdownIt) -> MarkdownIt:
    """Give ``md`` the linear helpers and the limits (its own copies: the module is shared)."""
    destinations = DestinationParser()
    helpers = SimpleNamespace(**vars(mdit_helpers))
    helpers.parseLinkLabel = parse_link_label
    helpers.parseLinkDestination = destinations
    md.helpers = helpers  # type: ignore[assignment]
    md.inline.ruler.at("image", _bounded_image)

    def inline(state: Any) -> None:
        """markdown-it's core ``inline`` rule, noting each block's line for errors."""
        destinations.reset()
        env = state.env
        env[_LABEL_CHARS] = 0
        env[_LABEL_LIMIT] = LABEL_BUDGET * len(state.src) + 10_000
        try:
            for token in state.tokens:
                if token.type == "inline":
                    if token.children is None:
                        token.children = []
                    env[_LINE] = token.map[0] + 1 if token.map else 1
                    state.md.inline.parse(token.content, state.md, env, token.children)
        finally:
            destinations.reset()

    md.core.ruler.at("inline", inline)
    return md


def _new_markdown_it() -> MarkdownIt:
    return configure(
        MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    )


_CHECKERS = threading.local()


def _checker() -> MarkdownIt:
    """This thread's markdown-it for :func:`body_problems`."""
    md: MarkdownIt | None = getattr(_CHECKERS, "md", None)
    if md is None:
        md = _CHECKERS.md = _new_markdown_it()
    return md


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r'<a href="([^"]*)"|<img src="([^"]*)"([^>]*)>')


class Markdown:
    """Safe Markdown -> HTML with base-URL-aware links.

    Plain bodies are rendered by markdown-it-pyrs, the rest by markdown-it-py
    (see :mod:`wego_site.markdown_native`); both give the same HTML, which
    :meth:`finish` then gives heading ids, prefixed site-relative links and
    lazily loaded images. With ``cache_dir``, rendered HTML is kept on disk
    by the hash of everything it depends on (the text, the link prefix,
    markdown-it's version and this renderer's version). Each entry starts
    with the hash of its HTML; an entry that does not match (truncated,
    edited, corrupted) is ignored and rewritten.
    """

    def __init__(
        self, link: Callable[[str], str], cache_dir: Path | None = None, prefix: str = ""
    ) -> None:
        import markdown_it

        self.link = link
        self.md = _new_markdown_it()
        self._cache: dict[str, str] = {}
        self.cache_dir = cache_dir / "markdown" if cache_dir else None
        self._salt = f"{RENDERER_VERSION}|{markdown_it.__version__}|{prefix}|".encode()

    def html(self, text: str, markup_chars: int | None = None) -> str:
        """The HTML of ``text`` before :meth:`finish` (from either renderer)."""
        if markup_chars is None:
            markup_chars = _markup_count(text)
        if not _limits_need_parse(text) and markdown_native.admits(text, markup_chars):
            native = markdown_native.render(text)
            if native is not None:
                return native
        return self.md.render(text)

    def finish(self, html: str) -> str:
        """Heading ids (from the heading's text, unique in the body), site-relative
        links and images through :attr:`link`, ``loading="lazy"`` on images."""
        used: set[str] = set()
        next_n: dict[str, int] = {}  # below it, every -n suffix of the base is taken

        def heading(match: re.Match[str]) -> str:
            base = slugify(unescape(_TAG.sub("", match.group(2))))
            ident = base
            if ident in used:
                n = next_n.get(base, 2)
                ident = f"{base}-{n}"
                while ident in used:
                    n += 1
                    ident = f"{base}-{n}"
                next_n[base] = n + 1
            used.add(ident)
            level = match.group(1)
            return f'<h{level} id="{ident}">{match.group(2)}</h{level}>'

        def link(match: re.Match[str]) -> str:
            href, src, rest = match.groups()
            if href is not None:
                return f'<a href="{escapeHtml(self.link(unescape(href)))}"'
            return f'<img src="{escapeHtml(self.link(unescape(src)))}"{rest} loading="lazy">'

        if "<h" in html:
            html = _HEADING.sub(heading, html)
        if "<a " in html or "<img " in html:
            html = _LINK.sub(link, html)
        return html

    def render(self, text: str) -> str:
        """Render Markdown to HTML (cached by the text's hash).

        Raises :class:`MarkdownLimitError` (a ``ValueError``, with the line and
        message :func:`body_problems` gives) for a body over a limit, instead
        of spending minutes on it; no HTML is produced or cached for it.
        """
        total = _markup_count(text)
        if total > MAX_MARKUP_CHARS:
            raise MarkdownLimitError(_static_problems(text))
        key = hashlib.blake2b(self._salt + text.encode(), digest_size=20).hexdigest()
        hit = self._cache.get(key)
        if hit is None:
            hit = self._read(key)
            if hit is None:
                hit = self.finish(self.html(text, total))
                self._write(key, hit)
            self._cache[key] = hit
        return hit

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.html" if self.cache_dir else None

    def _read(self, key: str) -> str | None:
        path = self._path(key)
        found = read_checked(path) if path is not None else None
        if found is None:
            return None
        try:
            return found[1].decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the checksum matched
            return None

    def _write(self, key: str, html: str) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            write_checked(path, html.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written is only slower
