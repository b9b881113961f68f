"""The native renderer (markdown-it-pyrs) gives exactly markdown-it-py's HTML.

markdown-it-py is the reference: every body the native renderer is given must
render the same with both, and everything else must go to markdown-it-py.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import Writer
from wego_site import markdown_native
from wego_site.frontmatter import split_parts
from wego_site.markdown import Markdown, _markup_count, _new_markdown_it
from wego_site.urls import Urls

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = _new_markdown_it()


def bodies(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        try:
            _, body, _ = split_parts(path.read_text(encoding="utf-8"), str(path))
        except ValueError:
            continue  # the invalid fixtures
        found.append((str(path.relative_to(ROOT)), body))
    return found


def admitted(text: str) -> bool:
    return markdown_native.admits(text, _markup_count(text))


def assert_same(text: str, label: str = "") -> None:
    native = markdown_native.render(text)
    assert native is not None, f"native renderer panicked on {label or text!r}"
    assert native == REFERENCE.render(text), label or repr(text)


def test_real_and_fixture_bodies_render_the_same_with_both() -> None:
    real = bodies(ROOT / "content")
    fixtures = bodies(ROOT / "tests")
    assert len(real) > 100 and len(fixtures) > 10
    for label, body in real + fixtures:
        if admitted(body):
            assert_same(body, label)
    # the speed is real: nearly every page goes the native way
    assert sum(admitted(body) for _, body in real) >= 0.9 * len(real)


def test_benchmark_bodies_render_the_same_with_both() -> None:
    writer = Writer(400)
    texts = [writer.body() for _ in range(300)]
    assert all(admitted(text) for text in texts)
    for text in texts:
        assert_same(text)


ATOMS = [
    *["a", "b c", "*", "**", "_", "__", "~~", "`", "[", "]", "(", ")", "![", "](", "/x"],
    *["http://e.org", "<", ">", "&amp;", "&#x41;", "&bogus;", "\\", "\\*", "#", "# "],
    *["## ", "\n", "\n\n", "> ", "- ", "1. ", "2) ", "   ", "    ", "\t", "|", "-|-"],
    *["---", "===", "```", "~~~", "[r]: /u\n", "[r]", '"t"', "'t'", "javascript:alert(1)"],
    *["<http://x.y>", "<a@b.c>", "é", "\N{THUMBS UP SIGN}", "\u00a0", "  \n", "\\\n", "+ "],
    *["* ", "|a|b|\n|-|-|\n", "<div>", "  - ", "[x]", '![i](j "k")', "| a | b |\n"],
    *["| --- | ---: |\n", "| c | d |\n", "\n| x |\n|:-:|\n| y |\n\n", "Ü", "\u2019", "\u2013"],
    *["\u00ab", "\ud55c", "\u0301", "**a**", "*b*", "_c_", "[l](/p)", '[l](/p "t")'],
    *["![a](/i.png)", "> q\n", ">\n", "> > ", "\n- a\n  - b\n", "\n1. x\n2. y\n", "***"],
    *["* * *", "a\nb", "&copy;", '"', ".", ",", "!", "?", ":", ";", "-", "\\[", "<b>"],
]


def test_every_admitted_body_of_a_random_soup_renders_the_same() -> None:
    """The admission rules were grown from this fuzz (each rule a difference it found)."""
    rnd = random.Random(20261202)
    seen = 0
    for _ in range(20_000):
        text = "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(1, 40)))
        if admitted(text):
            seen += 1
            assert_same(text)
    assert seen > 2_000


@pytest.mark.parametrize(
    "text",
    [
        ">",  # an empty quote
        "a\u00a0",  # a non-breaking space at the end
        "~~~\nx",  # an unclosed fence
        "**-**\N{THUMBS UP SIGN}",  # a symbol after emphasis
        "![a\\ b](x)",  # an escape in an image description
        "![&copy;](x)",  # an entity in an image description
        "a\n:-",  # a one-column table without pipes
        "> q\n2) a",  # a list after a quote
        "[r]: /u\n[r](",  # a reference label before an unclosed destination
        "[`]",  # an unclosed backtick in brackets: markdown-it-pyrs panics
    ],
)
def test_what_the_two_render_differently_goes_to_markdown_it_py(text: str) -> None:
    assert not admitted(text)
    md = Markdown(Urls("https://example.org/"))
    assert md.html(text) == REFERENCE.render(text)


def test_a_native_panic_becomes_a_reference_rendering() -> None:
    assert markdown_native.render("[`]") is None  # pyo3's PanicException, caught


DEEP = 100_000
UNITS = [">", "> ", "- ", "* ", "+ ", "1. ", "2) ", "*", "**", "_", "[", "![", "~~", "(", "  "]


def nested(unit: str) -> list[str]:
    """The unit nested on one line and over many lines, and as much as the native path takes."""
    per_line = unit * DEEP + "a"
    over_lines = "".join(" " * (2 * i) + unit + "a\n" for i in range(300))
    most = unit * (markdown_native.NATIVE_MARKUP_CHARS // max(1, len(unit.strip())) - 1) + "a"
    return [per_line, over_lines, most]


@pytest.mark.parametrize("unit", UNITS)
def test_deep_block_nesting_never_reaches_the_native_renderer(unit: str) -> None:
    """markdown-it-pyrs 0.4.0 overflows its stack on 100,000 nested ``>``; it
    never sees block nesting deeper than :data:`NATIVE_MAX_DEPTH`."""
    if unit.strip() in {">", "-", "*", "+", "1.", "2)", ""}:  # block containers
        assert not any(admitted(body) for body in nested(unit))
    for body in nested(unit):
        if admitted(body):
            assert_same(body)


def test_deep_nesting_of_every_construct_renders_without_crashing() -> None:
    """Rendered in a child process, so a crash fails this test instead of the run."""
    code = (
        "import sys; from wego_site.markdown import Markdown; from wego_site.urls import Urls\n"
        "md = Markdown(Urls('https://example.org/'))\n"
        "for text in sys.stdin.read().split('\\x00'):\n"
        "    try: md.render(text)\n"
        "    except ValueError: pass\n"  # over a limit: a content error, reported
        "print('ok')\n"
    )
    texts = [body for unit in UNITS for body in nested(unit)[1:]]
    texts += [unit * DEEP for unit in (">", "> ", "- ", "1. ")]  # markdown-it-py's limit
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input="\x00".join(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr[-2000:]
