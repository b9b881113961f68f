"""``--out``: the build touches only what it wrote itself (outdir.py, writer.py)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, TEMPLATES, build_to, run_cli, tree

NO_SEARCH = "--no-search"


def _user_files(folder: Path) -> dict[str, bytes]:
    """Someone's own files, written into ``folder``."""
    files = {"docs/thesis.txt": b"four years of work\n", ".bashrc": b"alias ll='ls -l'\n"}
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return files


def _refused(res, path_part: str, reason: str) -> None:
    assert res.code == 2, (res.out, res.err)
    line = res.err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert path_part in line and reason in line and "nothing was written" in line


def test_foreign_folder_is_refused_and_untouched(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    files = _user_files(out)
    res = build_to(corpus, out, NO_SEARCH)
    _refused(res, str(out), "not written by this generator")
    assert "--force" in res.err
    assert tree(out) == files


def test_force_writes_the_site_and_keeps_every_other_file(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    files = _user_files(out)
    res = build_to(corpus, out, NO_SEARCH, "--force")
    assert res.code == 0, res.err
    assert "kept 2 files the build did not write" in res.out
    assert (out / "index.html").is_file()
    assert {k: v for k, v in tree(out).items() if k in files} == files
    # later builds need no --force, and still keep them; a page the site drops goes
    (corpus / "pages/about.md").unlink()
    settings = corpus / "site.yaml"  # and the header no longer links it
    settings.write_text(settings.read_text().replace("header_menu: [about]\n", ""))
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    assert not (out / "about/index.html").exists()
    assert {k: v for k, v in tree(out).items() if k in files} == files


def test_files_added_to_a_built_folder_survive_rebuilds(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    (out / "CNAME").write_text("wego.example\n")
    (corpus / "pages/about.md").write_text("---\ntitle: About\nmenu: 10\n---\nNew text.\n")
    res = build_to(corpus, out, NO_SEARCH)
    assert res.code == 0, res.err
    assert (out / "CNAME").read_text() == "wego.example\n"
    assert "New text." in (out / "about/index.html").read_text()
    assert build_to(corpus, out, NO_SEARCH, "--no-cache").code == 0
    assert (out / "CNAME").read_text() == "wego.example\n"


def test_an_existing_file_is_refused(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("keep me")
    _refused(build_to(corpus, out, NO_SEARCH), str(out), "is a file")
    assert out.read_text() == "keep me"


def test_the_checkout_is_refused(corpus: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in ROOT.iterdir())
    res = run_cli("build", "--content", str(corpus), "--out", ".", NO_SEARCH)
    _refused(res, "--out .", "")
    assert sorted(p.name for p in ROOT.iterdir()) == before
    assert (ROOT / ".git").exists()  # a folder, or a file in a git worktree


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("templates", "is the templates folder"),
        ("content", "is the content folder"),
        ("content/events", "inside the content folder"),
        ("templates/assets/x", "inside the templates folder"),
        ("parent", "holds the content folder"),
        ("repo", "is a git repository"),
        ("home", "is your home folder"),
        ("root", "root of the file system"),
    ],
)
def test_protected_places_are_refused_even_with_force(
    corpus: Path, tmp_path: Path, where: str, reason: str
) -> None:
    templates = tmp_path / "templates"
    (templates / "assets").mkdir(parents=True)
    (templates / "base.html").write_text("{{ x }}")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git/HEAD").write_text("ref: refs/heads/main\n")
    out = {
        "templates": templates,
        "content": corpus,
        "content/events": corpus / "events",
        "templates/assets/x": templates / "assets/x",
        "parent": tmp_path,
        "repo": repo,
        "home": Path.home(),
        "root": Path("/"),
    }[where]
    before = tree(tmp_path)
    args = ["--content", str(corpus), "--templates", str(templates), "--out", str(out)]
    res = run_cli("build", *args, NO_SEARCH, "--force")
    _refused(res, str(out), reason)
    assert tree(tmp_path) == before


def test_out_inside_content_would_poison_check_so_it_is_refused(
    corpus: Path, tmp_path: Path
) -> None:
    _refused(build_to(corpus, corpus / "_site", NO_SEARCH), "_site", "inside the content folder")
    assert not (corpus / "_site").exists()
    assert run_cli("check", "--content", str(corpus)).code == 0


def test_a_symlinked_out_is_followed_and_the_link_kept(corpus: Path, tmp_path: Path) -> None:
    target, link = tmp_path / "target", tmp_path / "link"
    target.mkdir()
    link.symlink_to(target)
    assert build_to(corpus, link, NO_SEARCH).code == 0
    assert link.is_symlink() and (target / "index.html").is_file()
    assert build_to(corpus, link, NO_SEARCH, "--no-cache").code == 0
    assert link.is_symlink() and (target / "index.html").is_file()
    # a link to someone's folder is judged as that folder: refused, untouched
    theirs = tmp_path / "theirs"
    files = _user_files(theirs)
    other = tmp_path / "other-link"
    other.symlink_to(theirs)
    _refused(build_to(corpus, other, NO_SEARCH), "other-link", "not written by this generator")
    assert tree(theirs) == files
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    _refused(build_to(corpus, dangling, NO_SEARCH), "dangling", "symbolic link to nothing")


def test_a_damaged_marker_is_not_trusted(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    marker = out / ".wego-output"
    marker.write_bytes(marker.read_bytes().replace(b"index.html", b"index.htm!"))
    (out / "mine.txt").write_text("x")
    before = tree(out)
    _refused(build_to(corpus, out, NO_SEARCH, "--no-cache"), str(out), "marker is damaged")
    assert tree(out) == before


def test_a_symlink_inside_out_is_never_written_through(corpus: Path, tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    (out / "CNAME").write_text("keep")  # makes the next build publish in place
    elsewhere.mkdir()
    shutil.rmtree(out / "about")
    (out / "about").symlink_to(elsewhere)
    res = build_to(corpus, out, NO_SEARCH, "--no-cache")
    assert res.code == 2 and "is in the way" in res.err
    assert list(elsewhere.iterdir()) == []


def test_leftover_staging_folders_are_cleaned_up(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    # a build killed mid-way left its staging folder and (free) lock beside --out
    dead = tmp_path / ".site.build-dead1234"
    (dead / "events").mkdir(parents=True)
    (dead / "events/index.html").write_text("half")
    (tmp_path / ".site.build-dead1234.lock").write_text("")
    # a build still running holds its lock: its folder must survive
    live = tmp_path / ".site.build-live5678"
    live.mkdir()
    fd = os.open(tmp_path / ".site.build-live5678.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert build_to(corpus, out, NO_SEARCH, "--no-cache").code == 0
        names = sorted(p.name for p in tmp_path.iterdir())
        assert ".site.build-dead1234" not in names and ".site.build-dead1234.lock" not in names
        assert ".site.build-live5678" in names
    finally:
        os.close(fd)


def test_killed_build_leaves_no_pile(corpus: Path, tmp_path: Path) -> None:
    """A build killed while rendering leaves a staging folder and the old site as
    it was; the next build removes the staging folder."""
    out = tmp_path / "site"
    assert build_to(corpus, out, NO_SEARCH).code == 0
    before = tree(out)
    slow = tmp_path / "slow-templates"
    shutil.copytree(TEMPLATES, slow)
    page = slow / "404.html"
    page.write_text("{% for i in range(30000000) %}{% endfor %}" + page.read_text())
    args = ["--content", str(corpus), "--templates", str(slow), "--out", str(out)]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", *args, NO_SEARCH, "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not [p for p in tmp_path.glob(".site.build-*") if p.is_dir()]:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    assert tree(out) == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".site.build-")]
    assert build_to(corpus, out, NO_SEARCH, "--no-cache").code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with a private mount namespace (so it can mount tmpfs)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PY": sys.executable, "ROOT": str(ROOT)}
    cmd = ["unshare", "--mount", "--map-root-user", "sh", "-euc", script]
    if os.geteuid() == 0:
        cmd = ["unshare", "--mount", "sh", "-euc", script]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_a_mount_point_out_is_published_in_place(corpus: Path, tmp_path: Path) -> None:
    """A Docker volume or tmpfs as --out cannot be renamed: it is written file by file."""
    mnt = tmp_path / "volume"
    mnt.mkdir()
    build = (
        f'"$PY" "$ROOT/build.py" build --content {corpus} --templates {TEMPLATES} '
        f"--out {mnt} {NO_SEARCH} --no-cache"
    )
    script = f"""
        mount -t tmpfs tmpfs {mnt}
        {build}
        echo "first: $(cat {mnt}/about/index.html | grep -c About)"
        ino=$(stat -c %i {mnt})
        printf '%s\\n' '---' 'title: About' 'menu: 10' '---' 'Changed text.' \\
            > {corpus}/pages/about.md
        {build}
        grep -c 'Changed text' {mnt}/about/index.html
        test "$ino" = "$(stat -c %i {mnt})" && echo same-mount
        ls -a {mnt} | grep -c build- || true
    """
    res = _in_namespace(script)
    assert res.returncode == 0, res.stderr
    assert "Device or resource busy" not in res.stderr
    lines = res.stdout.split()
    assert "same-mount" in lines
    assert lines[-1] == "0"  # no staging folder left inside the volume


def test_a_read_only_parent_gives_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    build = (
        f'"$PY" "$ROOT/build.py" build --content {corpus} --templates {TEMPLATES} '
        f"--out {ro}/site {NO_SEARCH} --no-cache"
    )
    res = _in_namespace(f"mount -t tmpfs -o ro tmpfs {ro}\n{build}")
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    assert f"cannot write --out {ro}/site" in res.stderr
    assert "Read-only file system" in res.stderr


def test_one_count_for_every_path(corpus: Path, tmp_path: Path) -> None:
    """The full build and the unchanged one report the same number of files, and
    that number is what is in the folder (the marker aside)."""
    out = tmp_path / "site"
    first = build_to(corpus, out)
    again = build_to(corpus, out)
    assert first.code == again.code == 0
    assert "(unchanged)" in again.out
    files = [p for p in out.rglob("*") if p.is_file() and p.name != ".wego-output"]
    count = f"({len(files):,} files,"
    assert count in first.out and count in again.out
    assert " 1 files" not in first.out + again.out


def test_serve_refuses_a_foreign_out_too(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    files = _user_files(out)
    args = ["--content", str(corpus), "--templates", str(TEMPLATES), "--out", str(out)]
    res = run_cli("serve", *args, "--port", "8799")
    _refused(res, str(out), "not written by this generator")
    assert tree(out) == files
