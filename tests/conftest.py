"""Shared fixtures: the fixture corpus, builds of it, and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
TEMPLATES = ROOT / "templates"
#: 2024-06-15 00:00 UTC: some fixture events are past, some upcoming.
EPOCH = "1718409600"


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """``python build.py ARGS`` run in this process: the same ``main``, output and
    exit status as :func:`run_cli`, without starting an interpreter (most of a
    small build's time). The environment and working folder are restored after."""
    from wego_site import cli as command

    saved, here = dict(os.environ), os.getcwd()
    os.environ.update({"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    os.environ.pop("WEGO_DEBUG", None)
    out, err = io.StringIO(), io.StringIO()
    try:
        os.chdir(cwd or ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command.main(list(args))
            except SystemExit as exc:  # argparse's usage errors and --help
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)
    return Result(code, out.getvalue(), err.getvalue())


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``python build.py ARGS`` in a subprocess, as an editor would (for what
    needs a process of its own: the interpreter's start, signals, hash seeds)."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    full_env.pop("WEGO_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private, editable copy of the fixture corpus."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURE, dest)
    return dest


def build_to(
    content: Path,
    out: Path,
    *extra: str,
    templates: Path = TEMPLATES,
    env: dict[str, str] | None = None,
    process: bool = False,
) -> Result:
    """``python build.py build`` of ``content`` into ``out`` (in this process,
    or with ``process`` in a new one)."""
    args = ["--content", str(content), "--templates", str(templates), "--out", str(out)]
    return (run_cli if process else cli)("build", *args, *extra, env=env)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus built once (read-only for tests)."""
    out = tmp_path_factory.mktemp("built") / "site"
    res = build_to(FIXTURE, out)
    assert res.code == 0, res.err
    return out


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


SUB_PATH = "/wego/"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/ built under a sub-path base URL (as a reader gets it)."""
    out = tmp_path_factory.mktemp("real") / "site"
    # as GitHub Actions builds it: the editor's repository comes from GITHUB_REPOSITORY
    env = {"GITHUB_REPOSITORY": "example/wego-site"}
    res = cli("build", "--out", str(out), "--base-url", "https://example.org/wego/", env=env)
    assert res.code == 0, res.err
    return out


#: The files holding the suite's longest single tests (``--durations``), run
#: first: collected last, a 10 s test kept one worker busy while the other had
#: nothing left to take. (Moving the browser tests too made them slower: two
#: Chromiums at once on two cores.)
SLOW_FIRST = ("test_search_results.py", "test_quality.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: each file keeps its own order
