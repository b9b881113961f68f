"""Markdown rendering time stays linear in a body's size, and the limits keeping it so.

Timings are only compared with rendering ordinary prose in the same test run, so
the bounds hold on slow and busy machines alike; each is checked a second time
before failing, against noise from other processes.
"""

from __future__ import annotations

import pickle
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from wego_site.frontmatter import split_parts
from wego_site.markdown import (
    MARKUP_CHARS,
    MAX_IMAGE_NESTING,
    MAX_MARKUP_CHARS,
    Markdown,
    MarkdownLimitError,
    body_problems,
)
from wego_site.urls import Urls

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def new_markdown() -> Markdown:
    """A renderer with an empty cache."""
    return Markdown(Urls("https://example.org/wego/"))


class Stock:
    """Plain markdown-it-py ``js-default``, then only our links and heading ids."""

    def __init__(self, md: Markdown) -> None:
        self.plain = MarkdownIt(
            "js-default", {"html": False, "linkify": False, "typographer": False}
        )
        self.finish = md.finish

    def render(self, text: str) -> str:
        return self.finish(self.plain.render(text))


def stock(md: Markdown) -> Stock:
    return Stock(md)


def repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


PARAGRAPH = (
    "Member cities of the World Smart Sustainable Cities Organization met in Seoul to "
    "compare how their transport, water and energy services use open data, and what "
    "residents gained from it. The [secretariat](/about/) collected *case studies* from "
    "each region; most were small pilots that grew into city-wide programmes once the "
    "results were published and other departments asked to join. Budgets, staffing and "
    "the `open-data` portals differed widely, but every city reported that early "
    "consultation with residents saved time later.\n\n"
)


def prose(size: int) -> str:
    """Ordinary prose: long paragraphs, a link, emphasis and code in each."""
    return repeat(PARAGRAPH, size)


def long_document(sections: int) -> str:
    """A realistic long page: headings, tables, lists 4 deep, links, images, quotes, code."""
    rows = "".join(
        f"| City {i} | {2000 + i} | [Project {i}](/projects/p{i}/) | {i * 1250:,} |\n"
        for i in range(12)
    )
    parts = []
    for i in range(sections):
        parts.append(
            f"## {['Overview', 'Results', 'Partners', 'Budget'][i % 4]} of phase {i % 25}\n\n"
            f"{PARAGRAPH}"
            "The **pilot** in [Seoul](https://www.seoul.go.kr/) and [Ulaanbaatar][ub] used "
            "`sensor-v2` units; see ![the map](/images/map.png 'Map of sites') and the "
            "_annual report_ (p. 12), or ~~old figures~~ the corrected ones below.\n\n"
            "| City | Year | Project | Budget (USD) |\n|:-----|-----:|:--------|-------------:|\n"
            f"{rows}\n"
            "- Transport\n"
            "  - Buses with *real-time* arrival [information](/projects/bus/)\n"
            "    - Stops with displays\n"
            "      - Solar-powered displays, ![icon](/img/sun.svg)\n"
            "  - Bicycles\n"
            "1. Plan\n2. Pilot\n   1. Measure\n   2. Report\n3. Scale up\n\n"
            "> Residents were consulted first. — *Mayor's office*\n\n"
            "```python\nfor city in cities:\n    print(city['name'], city[\"year\"])\n```\n\n"
        )
    parts.append('[ub]: https://www.ulaanbaatar.mn/ "Ulaanbaatar"\n')
    return "".join(parts)


def real_bodies() -> list[tuple[str, str]]:
    """Every content file's Markdown body (after the closing ``---``)."""
    found = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        _, body, _ = split_parts(path.read_text(encoding="utf-8"), str(path))
        found.append((str(path.relative_to(ROOT)), body))
    return found


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def check_and_render(text: str) -> None:
    """What a build does with a body: ask for problems, render it if there are none."""
    if not body_problems(text):
        new_markdown().render(text)


def ratio(
    run: Callable[[], object], yardstick: Callable[[], object], base: float, limit: float
) -> float:
    """``run``'s time over ``base`` (the yardstick's time). A ratio over ``limit`` is
    measured again, run and yardstick side by side (A B A B), before it is
    reported: a machine busy with other tests (``pytest -n``) slows both alike."""
    first = seconds(run) / base
    if first <= limit:
        return first
    runs, yards = [], []
    for _ in range(2):
        runs.append(seconds(run))
        yards.append(seconds(yardstick))
    return min(first, min(runs) / min(yards))


class Prose:
    """The yardstick: 1 MiB of ordinary prose rendered with markdown-it-py, the
    engine every pathological body below goes to (plain prose alone would go to the
    native one, many times faster, and make the bounds measure the engines'
    difference rather than linearity)."""

    def __init__(self) -> None:
        self.text = prose(MIB)
        assert body_problems(self.text) == []
        self.mib = min(seconds(self.render) for _ in range(2))

    def render(self) -> str:
        md = new_markdown()
        return md.finish(md.md.render(self.text))

    def ratio(self, run: Callable[[], object], limit: float) -> float:
        """How many MiBs of prose ``run`` takes (measured again if over ``limit``)."""
        return ratio(run, self.render, self.mib, limit)


@pytest.fixture(scope="module")
def yard() -> Prose:
    return Prose()


def nested_lines(marker: str, size: int) -> str:
    lines, total, depth = [], 0, 0
    while total < size:
        lines.append(" " * (len(marker) * depth) + marker + "a\n")
        total += len(lines[-1])
        depth += 1
    return "".join(lines)


#: Inputs that markdown-it-py 4.3.0 takes 5 to 80 seconds to render per MiB (1 MiB of
#: ordinary prose: a fifth of a second), by what they are made of.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "[": lambda n: repeat("[", n),
    "![": lambda n: repeat("![", n),
    "*[": lambda n: repeat("*[", n),
    "[*": lambda n: repeat("[*", n),
    "_[": lambda n: repeat("_[", n),
    "[**": lambda n: repeat("[**", n),
    "[[[...]]] closed": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "[a](": lambda n: repeat("[a](", n),
    "![[](": lambda n: repeat("![[](", n),
    "[a] lookups": lambda n: repeat("[a] ", n) + "\n\n[a]: /x\n",
    "![![![a](x)](x)](x) 99 deep": lambda n: repeat("![" * 99 + "a" + "](x)" * 99 + "\n\n", n),
    "a*": lambda n: repeat("a*", n),
    "*a*": lambda n: repeat("*a* ", n),
    "a_": lambda n: repeat("a_", n),
    "table, 1-character cells": lambda n: (
        "|" + "a|" * 50 + "\n|" + "-|" * 50 + "\n" + repeat("|" + "b|" * 50 + "\n", n)
    ),
    "table, wide header": lambda n: (
        "|a" * (n // 8) + "\n" + "|-" * (n // 8) + "\n" + repeat("x\n", n // 2)
    ),
    "- a list items": lambda n: repeat("- a\n", n),
    "a paragraphs": lambda n: repeat("a\n\n", n),
    "# a headings": lambda n: repeat("# a\n", n),
    "[[[ long ]]] with a reference": lambda n: (
        "[r]: /x\n\n" + "[" * 99 + repeat("x ", n) + "]" * 99
    ),
}

#: Inputs with little markup that markdown-it-py 4.3.0 takes 3 to 7 seconds per MiB
#: to render (each link destination is walked across the next 32 links).
LONG_WALKS: dict[str, Callable[[int], str]] = {
    "[a](xxx...": lambda n: repeat("[a](" + "x" * 1000, n),
    "![a](xxx...": lambda n: repeat("![a](" + "x" * 1000, n),
    "[a](()()...": lambda n: repeat("[a](" + "()" * 500, n),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_mib_is_reported_quickly(name: str, yard: Prose) -> None:
    text = PATHOLOGICAL[name](MIB)
    assert yard.ratio(lambda: check_and_render(text), 5) <= 5
    problems = body_problems(text)
    assert problems and all(line >= 1 and message for line, message in problems)
    with pytest.raises(MarkdownLimitError):
        new_markdown().render(text)


@pytest.mark.parametrize("name", LONG_WALKS)
def test_long_walks_render_in_linear_time(name: str, yard: Prose) -> None:
    text = LONG_WALKS[name](MIB)
    assert yard.ratio(lambda: check_and_render(text), 5) <= 5
    assert body_problems(text) == []
    small = LONG_WALKS[name](30_000)
    md = new_markdown()
    assert md.render(small) == stock(md).render(small)


def markup(text: str) -> int:
    return sum(text.count(char) for char in MARKUP_CHARS)


def largest_accepted(make: Callable[[int], str]) -> str:
    """About the largest input of a family within the markup limit."""
    low, high = 1, MIB
    while high - low > 64:
        mid = (low + high) // 2
        if markup(make(mid)) > MAX_MARKUP_CHARS:
            high = mid
        else:
            low = mid
    return make(low)


@pytest.mark.parametrize(
    "name", ["[", "![", "[[[...]]] closed", "![[](", "table, 1-character cells", "# a headings"]
)
def test_the_largest_accepted_body_renders_within_bounds(name: str, yard: Prose) -> None:
    """Below the limits, the costliest bodies take a second or two (up to a minute before).

    That is up to ~10x 1 MiB of plain prose (tables of one-character cells, at
    ~20 microseconds a cell); the bound leaves room for a busy machine.
    """
    text = largest_accepted(PATHOLOGICAL[name])
    assert markup(text) > MAX_MARKUP_CHARS * 9 // 10
    assert body_problems(text) == []
    assert yard.ratio(lambda: new_markdown().render(text), 20) <= 20


@pytest.mark.parametrize("name", [*PATHOLOGICAL, *LONG_WALKS])
def test_pathological_inputs_render_as_markdown_it_does(name: str) -> None:
    """Small enough for markdown-it itself, and past its nesting limit of 100."""
    make = PATHOLOGICAL.get(name) or LONG_WALKS[name]
    text = make(1500)
    md = new_markdown()
    try:
        mine = md.render(text)
    except MarkdownLimitError as error:
        assert body_problems(text) == error.problems  # images or labels nested too deep
        return
    assert body_problems(text) == []
    assert mine == stock(md).render(text)


def test_random_bracket_soup_renders_as_markdown_it_does() -> None:
    units = [
        *'[[[]]]!!((()))a  \n`\\*_<>:x"~|',
        *["[a]", "](x)", "![", "[b]", "<http://a>", "`]`", "\\[", "](/y)", "# h\n", "[a][b]"],
        *["](", "][", "\n> ", "\n- ", "\n|a|b|\n|-|-|\n", "\\(", "\\ ", "(((", ")))"],
    ]
    rnd = random.Random(20240615)
    md = new_markdown()
    plain = stock(md)
    for _ in range(400):
        weights = [rnd.random() ** 3 for _ in units]
        text = "".join(rnd.choices(units, weights=weights, k=rnd.randint(1, 300)))
        if rnd.random() < 0.5:
            text = "[a]: /u\n[b]: /v 't'\n\n" + text
        try:
            mine = md.render(text)
        except MarkdownLimitError:
            continue
        assert mine == plain.render(text), text


def test_real_bodies_have_no_problems_and_render_as_before() -> None:
    bodies = real_bodies()
    assert len(bodies) > 50
    md = new_markdown()
    plain = stock(md)
    for path, body in bodies:
        assert body_problems(body) == [], path
        assert md.render(body) == plain.render(body), path


def test_a_realistic_long_document_has_no_problems(yard: Prose) -> None:
    text = long_document(150)
    assert len(text) > 200_000
    assert body_problems(text) == []
    md = new_markdown()
    rendered: list[str] = []
    # 12% markup (tables, lists, links), so ~6x the time of as much plain prose
    assert yard.ratio(lambda: rendered.append(md.render(text)), 5) <= 5
    html = rendered[0]
    assert html == stock(md).render(text)
    assert html.count("<table>") == 150 and html.count('loading="lazy"') == 300
    assert '<h2 id="overview-of-phase-0-2">' in html


def test_problems_name_the_line_and_the_remedy() -> None:
    text = "An introduction.\n\nAnother paragraph.\n\n" + "[" * 200_000 + "\n\nThe end.\n"
    [(line, message)] = body_problems(text)
    assert line == 5
    assert "200,007 Markdown markup characters" in message and "split" in message
    with pytest.raises(ValueError, match="^line 5 of the body: the body has 200,007"):
        new_markdown().render(text)
    assert body_problems(text) == [(line, message)]  # pure


def test_images_may_nest_a_few_deep() -> None:
    def nested(depth: int) -> str:
        return "![" * depth + "a" + "](/x.png)" * depth

    md = new_markdown()
    fine = nested(MAX_IMAGE_NESTING)
    assert body_problems(fine) == []
    assert md.render(fine) == stock(md).render(fine)
    deep = "Intro.\n\nText ![a](/b.png) and " + nested(MAX_IMAGE_NESTING + 1) + "\n"
    [(line, message)] = body_problems(deep)
    assert line == 3 and "nested more than" in message
    with pytest.raises(MarkdownLimitError, match="^line 3 of the body: images nested"):
        md.render(deep)
    in_code = "`" + nested(MAX_IMAGE_NESTING + 3) + "`"  # not images: no problem
    assert body_problems(in_code) == []


def test_deeply_nested_labels_with_references_are_reported() -> None:
    text = "[r]: /x\n\nSome text.\n\n" + "[" * 99 + "x " * 100_000 + "]" * 99
    [(line, message)] = body_problems(text)
    assert line == 5 and "reference definitions" in message
    with pytest.raises(MarkdownLimitError):
        new_markdown().render(text)
    assert body_problems(text.replace("[r]: /x", "No definitions.")) == []


def test_block_nesting_is_bounded_by_markdown_its_max_nesting(yard: Prose) -> None:
    md = new_markdown()
    assert md.md.options["maxNesting"] == 100
    for text in [
        ">" * (MAX_MARKUP_CHARS - 1),
        "> " * (MAX_MARKUP_CHARS // 2 - 1) + "a",
        "- " * (MAX_MARKUP_CHARS // 2 - 1) + "a",
        "1. " * (MAX_MARKUP_CHARS // 2 - 1) + "a",
        nested_lines("- ", MIB),
        nested_lines("1. ", MIB),
    ]:
        assert body_problems(text) == []
        # markdown-it-py's hr rule rescans a "- - - ..." line once per level (50 x
        # 10,000 characters: 0.3-0.7 s here, about 2-4x 1 MiB of prose)
        took = yard.ratio(lambda text=text: new_markdown().render(text), 5)
        assert took <= 5, text[:20]
        html = new_markdown().render(text)
        depth = max_depth(html, ("blockquote", "ul", "ol", "li"))
        assert 10 < depth <= 100


def max_depth(html: str, tags: tuple[str, ...]) -> int:
    depth = deepest = 0
    for match in re.finditer(r"<(/?)(\w+)", html):
        if match.group(2) in tags:
            depth += -1 if match.group(1) else 1
            deepest = max(deepest, depth)
    return deepest


def old_heading_ids(titles: list[str]) -> list[str]:
    """How heading ids were made before they were made in linear time."""
    used: set[str] = set()
    ids = []
    for base in titles:
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        ids.append(ident)
    return ids


def test_heading_ids_are_as_before() -> None:
    rnd = random.Random(7)
    titles = [rnd.choice(["a", "a-2", "a-3", "b", "a-2-2", "section", "a-10"]) for _ in range(300)]
    html = new_markdown().render("".join(f"# {title}\n" for title in titles))
    assert re.findall(r'<h1 id="([^"]+)">', html) == old_heading_ids(titles)


def test_many_equal_headings_render_in_linear_time() -> None:
    """25,000 equal headings (each id de-duplicated against the others: 26 s when
    that was quadratic) take about as long as 25,000 different ones, timed side by
    side so that a loaded machine slows both alike."""
    equal = repeat("## Notes\n", 9 * 25_000)
    distinct = "".join(f"## N{i:05d}\n" for i in range(25_000))
    assert body_problems(equal) == [] and body_problems(distinct) == []

    def render_distinct() -> str:
        return new_markdown().render(distinct)

    base = min(seconds(render_distinct) for _ in range(2)) + 0.02
    took = ratio(lambda: new_markdown().render(equal), render_distinct, base, 3)
    assert took <= 3, (took, base)


def test_the_error_survives_a_worker_process() -> None:
    error = pickle.loads(pickle.dumps(MarkdownLimitError([(3, "too deep")])))
    assert error.problems == [(3, "too deep")] and str(error) == "line 3 of the body: too deep"
