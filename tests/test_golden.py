"""Golden files: the fixture site as built, and the exact errors of invalid sites.

``tests/golden/site/`` holds every page and data file the fixture site builds
(``--no-search``; the theme's ``assets/`` are copied as they are and left
out). A change to any output shows here as a diff of the pages it touched.
``tests/invalid/<case>/`` each hold files laid over a copy of the fixture
(``content/...``) and ``expected.txt``, the exact output of ``check``.

After an intended change, accept the new output with one command::

    make golden        # = WEGO_GOLDEN=accept pytest tests/test_golden.py

and review the change with ``git diff tests/golden tests/invalid``.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT, build_to, cli, tree

GOLDEN = ROOT / "tests" / "golden" / "site"
INVALID = ROOT / "tests" / "invalid"
ACCEPT = os.environ.get("WEGO_GOLDEN") == "accept"
#: Not golden: copied verbatim from templates/assets, and the build's own manifest.
LEFT_OUT = ("assets/", ".wego-output")


def published(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if not k.startswith(LEFT_OUT)}


def differences(expected: dict[str, bytes], got: dict[str, bytes], limit: int = 6) -> str:
    """The files that differ, and a unified diff of the first few."""
    lines = [f"missing: {k}" for k in sorted(expected.keys() - got.keys())]
    lines += [f"new: {k}" for k in sorted(got.keys() - expected.keys())]
    changed = sorted(k for k in expected.keys() & got.keys() if expected[k] != got[k])
    lines += [f"changed: {k}" for k in changed]
    for k in changed[:limit]:
        a = expected[k].decode("utf-8", "replace").splitlines()
        b = got[k].decode("utf-8", "replace").splitlines()
        lines += difflib.unified_diff(a, b, f"golden/{k}", f"built/{k}", n=1, lineterm="")
    return "\n".join(lines)


def accept_tree(got: dict[str, bytes], dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    for rel, data in got.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_bytes(data)


def test_the_fixture_site_builds_as_golden(tmp_path: Path) -> None:
    out = tmp_path / "site"
    res = build_to(FIXTURE, out, "--no-search", "--no-cache")
    assert res.code == 0, res.err
    got = published(out)
    if ACCEPT:
        accept_tree(got, GOLDEN)
    expected = tree(GOLDEN)
    assert expected == got, (
        "the fixture site's output changed; if intended, run `make golden`:\n"
        + differences(expected, got)
    )


CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir()) if INVALID.is_dir() else []


def test_there_are_invalid_sites() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_an_invalid_site_gives_exactly_its_errors(case: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    overlay = INVALID / case / "content"
    for path in sorted(overlay.rglob("*")):
        if path.is_file():
            target = content / path.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    gone = INVALID / case / "deleted.txt"
    if gone.is_file():
        for rel in gone.read_text().split():
            (content / rel).unlink()
    res = cli("check", "--content", "content", cwd=tmp_path)
    expected_file = INVALID / case / "expected.txt"
    if ACCEPT:
        expected_file.write_text(res.err)
    assert res.code == 1 and res.out == ""
    assert res.err == expected_file.read_text()
