"""Body slots: what a page shows of a Markdown body is filled and spliced exactly."""

from __future__ import annotations

import json
import threading

import pytest

from wego_site import bodies
from wego_site.bodies import Body, SlotError, fill_slots, splice


def md(text: str) -> str:
    return f"<p>{text.strip()}</p>\n"


def test_slots_are_filled_with_html_and_json_and_their_spans_recorded() -> None:
    body = Body("events/2024/x.md", 'Seoul "서울" \\ done\n')
    bodies.begin()
    page = f"<main>{body.slot('html')}</main>" + json.dumps({"b": body.slot("json")})
    data, spans = fill_slots(page, md)
    text = data.decode()
    assert '<main><p>Seoul "서울" \\ done</p>\n</main>' in text
    assert json.loads(text[text.index("{") :]) == {"b": 'Seoul "서울" \\ done\n'}
    for start, end, key, kind in spans:
        assert key == "events/2024/x.md"
        value = data[start:end].decode()
        expected = md(body._text) if kind == "html" else json.dumps(body._text, ensure_ascii=False)
        assert value == expected


def test_splice_replaces_only_the_changed_body() -> None:
    a, b = Body("a.md", "old a"), Body("b.md", "bee")
    bodies.begin()
    data, spans = fill_slots(f"1{a.slot('html')}2{b.slot('html')}3{a.slot('html')}4", md)
    new, new_spans = splice(data, spans, {"a.md": {"html": md("new, longer a").encode()}})
    assert new == b"1<p>new, longer a</p>\n2<p>bee</p>\n3<p>new, longer a</p>\n4"
    bodies.begin()
    fresh = fill_slots(f"1{a.slot('html')}2{b.slot('html')}3{a.slot('html')}4", lambda t: t)
    assert fresh[0] != new  # a different renderer gives different bytes: spans matter
    again, _ = splice(new, new_spans, {"b.md": {"html": b"B"}})
    assert again == b"1<p>new, longer a</p>\n2B3<p>new, longer a</p>\n4"


@pytest.mark.parametrize("template", ["{x|upper}", "{x|replace}", "{x|json-twice}"])
def test_a_slot_that_is_not_output_as_placed_is_an_error(template: str) -> None:
    body = Body("a.md", "text")
    bodies.begin()
    mark = body.slot("html")
    altered = {
        "{x|upper}": mark.upper(),
        "{x|replace}": mark.replace("\x00", "\x00 "),
        "{x|json-twice}": json.dumps(json.dumps(mark)),
    }[template]
    with pytest.raises(SlotError):
        fill_slots(f"<p>{altered}</p>", md)


def test_a_slot_outside_a_render_is_refused() -> None:
    with pytest.raises(SlotError):
        Body("a.md", "text").slot("html")


def test_raw_reads_are_recorded() -> None:
    bodies.reset_raw()
    assert Body("p.md", "x").raw() == "x"
    assert bodies.raw_keys() == {"p.md"}
    assert Body("q.md", " \n").blank and "q.md" not in bodies.raw_keys()


def test_renders_on_two_threads_do_not_mix_their_slots() -> None:
    results: dict[str, bytes] = {}
    start = threading.Barrier(2)

    def render(name: str) -> None:
        body = Body(f"{name}.md", name)
        bodies.begin()
        start.wait()
        marks = "".join(body.slot("html") for _ in range(200))
        results[name] = fill_slots(marks, md)[0]

    threads = [threading.Thread(target=render, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"one": b"<p>one</p>\n" * 200, "two": b"<p>two</p>\n" * 200}
