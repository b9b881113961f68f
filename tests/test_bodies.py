"""Body slots: what a page shows of a Markdown body is filled and spliced exactly."""

from __future__ import annotations

import json
import threading

import pytest

from wego_site.bodies import Body, SlotError, fill_slots, splice


def md(text: str) -> str:
    return f"<p>{text.strip()}</p>\n"


def test_slots_are_filled_with_html_and_json_and_their_spans_recorded() -> None:
    body = Body("events/2024/x.md", 'Seoul "서울" \\ done\n')
    page = f"<main>{body.slot('html')}</main>" + json.dumps({"b": body.slot("json")})
    data, spans = fill_slots(page, {body.key: body.text}, md)
    text = data.decode()
    assert '<main><p>Seoul "서울" \\ done</p>\n</main>' in text
    assert json.loads(text[text.index("{") :]) == {"b": 'Seoul "서울" \\ done\n'}
    assert len(spans) == 2
    for start, end, key, kind in spans:
        assert key == "events/2024/x.md"
        value = data[start:end].decode()
        expected = md(body.text) if kind == "html" else json.dumps(body.text, ensure_ascii=False)
        assert value == expected


def test_splice_replaces_only_the_changed_body() -> None:
    a, b = Body("a.md", "old a"), Body("b.md", "bee")
    texts = {"a.md": a.text, "b.md": b.text}
    page = f"1{a.slot('html')}2{b.slot('html')}3{a.slot('html')}4"
    data, spans = fill_slots(page, texts, md)
    new, new_spans = splice(data, spans, {"a.md": {"html": md("new, longer a").encode()}})
    assert new == b"1<p>new, longer a</p>\n2<p>bee</p>\n3<p>new, longer a</p>\n4"
    fresh = fill_slots(page, texts, lambda t: t)
    assert fresh[0] != new  # a different renderer gives different bytes: spans matter
    again, _ = splice(new, new_spans, {"b.md": {"html": b"B"}})
    assert again == b"1<p>new, longer a</p>\n2B3<p>new, longer a</p>\n4"


@pytest.mark.parametrize("template", ["{x|upper}", "{x|replace}", "{x|json-twice}"])
def test_a_slot_that_is_not_output_as_placed_is_an_error(template: str) -> None:
    body = Body("a.md", "text")
    mark = body.slot("html")
    altered = {
        "{x|upper}": mark.upper(),
        "{x|replace}": mark.replace("\x00", "\x00 "),
        "{x|json-twice}": json.dumps(json.dumps(mark)),
    }[template]
    with pytest.raises(SlotError):
        fill_slots(f"<p>{altered}</p>", {body.key: body.text}, md)


def test_a_slot_of_a_body_the_site_does_not_have_is_an_error() -> None:
    with pytest.raises(SlotError, match="not in the site"):
        fill_slots(Body("gone.md", "x").slot("html"), {}, md)


def test_a_rendered_fragment_with_slots_can_be_reused_on_many_pages() -> None:
    """A slot names its body, so a card rendered once fills right on every page,
    on any thread, with no state between placing and filling."""
    card = f"<li>{Body('one.md', '').slot('html')}</li>"
    texts = {"one.md": "first"}
    results: dict[int, bytes] = {}

    def render(n: int) -> None:
        results[n] = fill_slots(f"<ul>{card * n}</ul>", texts, md)[0]

    threads = [threading.Thread(target=render, args=(n,)) for n in (1, 50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[1] == b"<ul><li><p>first</p>\n</li></ul>"
    assert results[50] == b"<ul>" + b"<li><p>first</p>\n</li>" * 50 + b"</ul>"
