"""Shared fixtures: the fixture corpus, builds of it, and a CLI runner."""

from __future__ import annotations

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


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``python build.py ARGS`` in a subprocess, as an editor would."""
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
) -> Result:
    """``python build.py build`` of ``content`` into ``out``."""
    args = ["--content", str(content), "--templates", str(templates), "--out", str(out)]
    return run_cli("build", *args, *extra, env=env)


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
    res = run_cli("build", "--out", str(out), "--base-url", "https://example.org/wego/")
    assert res.code == 0, res.err
    return out
