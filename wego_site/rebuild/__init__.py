"""Rebuilds: everything that knows previous builds exist, in one place.

``build(options)`` is what ``python build.py build`` runs. After a full build
(:mod:`wego_site.builder`, which knows nothing of this package) it leaves a
record in the cache folder (:mod:`.record`): a fingerprint of everything that
shapes the site, the hash of every Markdown body, the byte spans where each
output shows a body (see :mod:`wego_site.bodies`), and a listing of the output
folder. The next ``build`` first scans the inputs
(:mod:`.scan`: reading and hashing every file; only files whose bytes changed
are split into front matter and body, and nothing is parsed) and then:

* the fingerprint differs, the output folder is not exactly as recorded, or
  there is no usable state: **full build**;
* nothing changed: **unchanged**, nothing is written;
* only bodies changed: their new HTML (or JSON string) is **spliced** into the
  recorded spans of the outputs that show them, each file replaced atomically
  (:mod:`.patch`).
  A full build assembles every output the same way, so the result is the clean
  build byte for byte. With the search index on, the index is then rebuilt
  from the patched folder and updated in place
  (:func:`wego_site.search.update_site`); shards of pages that did not change
  come from the cache, so the index equals a clean build's too.

The fingerprint covers: the generator's code, Python's version and the name
and version of every installed distribution (``*.dist-info`` on ``sys.path``), the
options, the working folder, ``SOURCE_DATE_EPOCH`` (unset: the build date in the
site's time zone, which is all a build without it depends on; see
site.build_moment), every template and asset, and every content file - whole, or
for Markdown its front matter plus whether the body is blank. Nothing is
skipped on a guess: the only thing not re-derived is a body's place in a page,
and the template never sees the body (it holds a placeholder).
"""

from __future__ import annotations

import time

from ..options import BuildOptions, BuildReport
from .patch import update
from .record import Details, Head, Record
from .scan import list_output, scan

__all__ = ["build"]


def build(options: BuildOptions) -> BuildReport:
    """Build ``options.out``: unchanged, spliced or full, whichever is exact."""
    started = time.perf_counter()
    from ..outdir import check_out

    check_out(options.out, options.content, options.templates, options.cache, options.force)
    if options.cache is None or options.memo is not None:
        from ..builder import build as full_build

        return full_build(options)
    record = Record(options)
    head = record.head()
    loaded: list[Details | None] = []

    def details() -> Details | None:
        if not loaded:
            loaded.append(record.details(head) if head is not None else None)
        return loaded[0]

    found = scan(options, head, details)
    scanned = time.perf_counter()
    report = update(options, found, record, head, details)
    if report is not None:
        report.timings = {"scan": scanned - started, "update": time.perf_counter() - scanned}
        return report
    from ..builder import build as full_build

    report = full_build(options)
    report.timings = {"scan": scanned - started, **report.timings}
    listing = list_output(options.out.resolve())
    if listing is None:  # pragma: no cover - a successful build leaves the folder
        return report
    if found.inputs is None:  # the content was as recorded, the rest was not
        recorded = details()
        if recorded is None:
            record.forget()
            return report
        found.inputs = recorded.inputs
    record.save(
        Head(
            found.structure,
            found.content,
            found.content_part,
            listing.digest,
            report.files,
            report.bytes,
            report.pages,
            report.base_url,
            str(options.out.resolve()),
            "",
        ),
        Details(found.inputs, report.slots),
    )
    record.prune()
    return report
