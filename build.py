"""Entry point: ``python build.py <command>`` (see ``--help``)."""

from wego_site.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
