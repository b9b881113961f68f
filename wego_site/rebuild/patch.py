"""Bring an output folder up to date without a full build, when that is exact.

Nothing changed: nothing is written. Only Markdown bodies changed: their new
HTML (or JSON string) is spliced into the recorded spans of the outputs that
show them, each file replaced atomically (:func:`wego_site.bodies.splice`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..bodies import HTML, json_string, splice
from ..options import BuildOptions, BuildReport
from ..writer import MANIFEST, manifest_bytes, read_manifest, write_atomic
from .record import Details, Head, Record
from .scan import Listing, Scan, list_output


def update(
    options: BuildOptions,
    found: Scan,
    record: Record,
    head: Head | None,
    details: Callable[[], Details | None],
) -> BuildReport | None:
    """Bring the output up to date without a full build, or return None."""
    if head is None or head.structure != found.structure:
        return None
    out = options.out.resolve()
    report = BuildReport(pages=head.pages, base_url=head.base_url, mode="unchanged")
    report.files, report.bytes = head.files, head.bytes
    if found.inputs is None:  # every input is as recorded
        listing = list_output(out)
        return report if listing is not None and listing.digest == head.listing else None
    recorded = details()
    if recorded is None or recorded.inputs.keys() != found.inputs.keys():
        return None
    before = recorded.inputs
    changed = {k for k, rec in found.inputs.items() if rec[2] != before[k][2]}
    from ..markdown import body_problems as markdown_problems
    from ..textcheck import body_problems

    if any(body_problems(found.texts[k]) or markdown_problems(found.texts[k]) for k in changed):
        return None  # the full build reports them
    listing = list_output(out)
    if listing is None or listing.digest != head.listing:
        return None
    dirty = sorted(
        rel for rel, spans in recorded.slots.items() if any(s[2] in changed for s in spans)
    )
    if dirty:
        record.forget()
        texts = {k: found.texts[k] for k in changed}
        values = _filled(options, head.base_url, texts, dirty, recorded)
        for rel in dirty:
            target = out / rel
            old = target.read_bytes()
            data, spans = splice(old, recorded.slots[rel], values)
            write_atomic(target, data)
            head.bytes += len(data) - len(old)
            recorded.slots[rel] = spans
            listing.restat(out, rel)
        if options.search:
            _reindex(out, options, head, listing)
        head.listing = listing.digest
        report.files, report.bytes = head.files, head.bytes
        report.mode = f"{len(dirty)} files patched"
    head.content, head.content_part = found.content, found.content_part
    recorded.inputs = found.inputs
    record.save(head, recorded)
    return report


def _reindex(out: Path, options: BuildOptions, head: Head, listing: Listing) -> None:
    """Bring the search index up to date with the patched pages (shards whose
    pages did not change come from the cache), and the manifest with it."""
    from ..search import BUNDLE, update_site

    def sizes() -> dict[str, int]:
        return {
            rel: int(stat.split(" ", 1)[0])
            for rel, stat in listing.entries.items()
            if stat and rel.startswith(f"{BUNDLE}/")
        }

    manifest = read_manifest(out)
    owned = manifest or frozenset()
    before = sizes()
    written, removed = update_site(out, owned, options.cache)
    for rel in removed:
        del listing.entries[rel]
    for rel in written:
        listing.restat(out, rel)
    after = sizes()
    head.files += len(after) - len(before)
    head.bytes += sum(after.values()) - sum(before.values())
    if manifest is not None and (written or removed):
        files = sorted((owned - set(removed)) | set(written))
        old = (out / MANIFEST).stat().st_size
        write_atomic(out / MANIFEST, manifest_bytes(files))
        head.bytes += (out / MANIFEST).stat().st_size - old
        listing.restat(out, MANIFEST)


def _filled(
    options: BuildOptions,
    base_url: str,
    texts: dict[str, str],
    dirty: list[str],
    recorded: Details,
) -> dict[str, dict[str, bytes]]:
    """The new value of every changed body, in each kind some dirty output shows."""
    kinds: dict[str, set[str]] = {}
    for rel in dirty:
        for _, _, key, kind in recorded.slots[rel]:
            if key in texts:
                kinds.setdefault(key, set()).add(kind)
    md = None
    values: dict[str, dict[str, bytes]] = {}
    for key, wanted in kinds.items():
        values[key] = {}
        for kind in wanted:
            if kind == HTML:
                if md is None:
                    from ..markdown import Markdown
                    from ..urls import Urls

                    urls = Urls(base_url)
                    md = Markdown(urls, options.cache, urls.prefix)
                values[key][kind] = md.render(texts[key]).encode()
            else:
                values[key][kind] = json_string(texts[key]).encode()
    return values
