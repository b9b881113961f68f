"""Command line: argument parsing only; the work is done elsewhere.

Exit status: 0 success, 1 content errors, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentErrors, OutputError, UsageError, WegoError, visible

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors exit 2 cleanly."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python build.py",
        description="Build, check and preview the WeGO website from content/.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def common(sp: argparse.ArgumentParser, templates: bool = True) -> None:
        sp.add_argument(
            "--content", default="content", metavar="DIR", help="content folder (default: content)"
        )
        if templates:
            sp.add_argument(
                "--templates",
                default="templates",
                metavar="DIR",
                help="templates folder (default: templates)",
            )

    b = sub.add_parser("build", help="build the site into --out")
    common(b)
    b.add_argument(
        "--out",
        default="_site",
        metavar="DIR",
        help="output folder (default: _site): missing, empty, or one this generator wrote",
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder this generator did not write, replacing only "
        "files at the site's own paths and keeping every other file",
    )
    b.add_argument("--base-url", metavar="URL", help="override site.yaml base_url")
    b.add_argument("--drafts", action="store_true", help="publish drafts too")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    b.add_argument("--no-pdf", action="store_true", help="skip the booklets (PDF)")
    b.add_argument(
        "--cache",
        default=".wego-cache",
        metavar="DIR",
        help="Markdown -> HTML cache and the record of the last build, for exact fast rebuilds "
        "(default: .wego-cache)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="do not read or write the cache: always a full build",
    )

    c = sub.add_parser("check", help="validate content only (for CI and editors)")
    common(c, templates=False)
    c.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="error format: text (default) or github annotations",
    )

    s = sub.add_parser("serve", help="build, watch and live-reload on 127.0.0.1")
    common(s)
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    s.add_argument(
        "--out", default=None, metavar="DIR", help="output folder (default: a temporary folder)"
    )
    s.add_argument("--force", action="store_true", help="as for build: write into a foreign folder")
    s.add_argument(
        "--edit",
        action="store_true",
        help="also the browser editor at /admin/ and its local backend (decap-server, 127.0.0.1)",
    )
    s.add_argument(
        "--edit-port", type=int, default=8081, metavar="N", help="decap-server's port (8081)"
    )

    n = sub.add_parser("new", help="scaffold a valid content file to edit")
    n.add_argument("kind", choices=["event", "project", "member"])
    n.add_argument("slug")
    n.add_argument("--content", default="content", metavar="DIR")
    n.add_argument("--date", help="event date, e.g. 2025-09-19 (default: a month from today)")
    n.add_argument("--title", help="title or name")
    n.add_argument("--city", help="member slug of the city (project) or city name (event)")
    n.add_argument("--country", help="ISO 3166-1 alpha-2 code")
    n.add_argument("--category", help="event category key")

    sc = sub.add_parser("schema", help="write JSON Schemas for editors")
    sc.add_argument("--content", default="content", metavar="DIR")
    sc.add_argument("--out", default="schemas", metavar="DIR")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    try:
        args = make_parser().parse_args(argv)
        return _dispatch(args)
    except OutputError as exc:
        print(f"error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(visible(str(exc)), file=sys.stderr)
        print("Try 'python build.py --help'.", file=sys.stderr)
        return EXIT_USAGE
    except ContentErrors as exc:
        fmt = getattr(args, "format", "text")
        for err in exc.errors:
            print(err.github() if fmt == "github" else str(err), file=sys.stderr)
        n = len(exc.errors)
        files = len({e.path for e in exc.errors})
        print(
            f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
            "nothing was written.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    except WegoError as exc:
        print(f"error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        from .loader import load_content

        content = load_content(Path(args.content))
        print(
            f"ok: {len(content.events)} events, {len(content.projects)} projects, "
            f"{len(content.members)} members, {len(content.pages)} pages"
        )
        return EXIT_OK
    if args.command == "build":
        from .options import BuildOptions
        from .rebuild import build

        report = build(
            BuildOptions(
                content=Path(args.content),
                templates=Path(args.templates),
                out=Path(args.out),
                base_url=args.base_url,
                drafts=args.drafts,
                search=not args.no_search,
                pdf=not args.no_pdf,
                cache=None if args.no_cache else Path(args.cache),
                force=args.force,
            )
        )
        if not args.quiet:
            print(report.summary())
        return EXIT_OK
    if args.command == "serve":
        from .devserver import serve

        serve(
            Path(args.content),
            Path(args.templates),
            args.port,
            args.host,
            Path(args.out) if args.out else None,
            args.force,
            args.edit_port if args.edit else None,
        )
        return EXIT_OK
    if args.command == "new":
        from .scaffold import new_file

        path = new_file(args)
        print(f"created {path}: edit it, then run 'python build.py check'")
        return EXIT_OK
    if args.command == "schema":
        from .cms import write_config
        from .loader import load_content
        from .schema import build_schemas, write_schemas

        schemas, out = build_schemas(load_content(Path(args.content))), Path(args.out)
        for path in [*write_schemas(schemas, out), write_config(schemas, out)]:
            print(f"wrote {path}")
        return EXIT_OK
    raise UsageError(f"unknown command {args.command}")  # pragma: no cover
