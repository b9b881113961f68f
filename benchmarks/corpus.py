"""Deterministic synthetic corpora for the performance benchmarks.

``python -m benchmarks.corpus N OUTDIR [--seed S]`` writes:

* ``OUTDIR/content/``: a valid WeGO content folder in the editor's contract
  format: ``N`` events spread over several years (every date form, format and
  status), ``N/2`` projects and ``N/5`` members, with valid cross-references
  and 1-4 KB Markdown bodies (headings, paragraphs, lists, links, emphasis and
  a table). ``site.yaml`` (no share cards, no header menu pages) and
  ``taxonomies.yaml`` are copied from the project's own ``content/``.
* ``OUTDIR/hugo/``: a minimal Hugo site with the *same* Markdown bodies (one
  page per event, project and member; front matter reduced to title, date and
  draft) and a three-template layout, for a side-by-side baseline.

The same ``N`` and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: Bump when the generated files change, so cached corpora are regenerated.
GENERATOR_VERSION = 1

REPO = Path(__file__).resolve().parent.parent
SEED_CONTENT = REPO / "content"
YEARS = tuple(range(2015, 2027))
DEFAULT_SEED = 20240919

SYLLABLES = (
    "ka ra no vi sa lu me do ta an be el or is ul mar sen tor vil hal gor "
    "pra sto lin dal ber kan mo ri na za ju ke ba"
).split()
WORDS = (
    "city citizens data platform digital services smart sustainable urban mobility "
    "transport energy water waste network sensors open government residents pilot "
    "programme partnership innovation district municipal infrastructure public "
    "safety health education climate resilience budget procurement cooperation "
    "training workshop mayors delegates agenda strategy roadmap indicators "
    "dashboard analytics cloud connectivity broadband startups investment "
    "inclusive accessible green circular economy heritage tourism traffic lighting "
    "monitoring feedback participation governance evaluation results stakeholders"
).split()
TOPICS = (
    "smart bus stops",
    "open data portal",
    "air quality sensors",
    "digital twin",
    "e-participation app",
    "smart street lighting",
    "flood early warning",
    "waste collection routing",
    "tele-health kiosks",
    "city wi-fi",
    "tourism chatbot",
    "traffic signal control",
    "water leak detection",
    "public bike sharing",
    "e-permits",
    "citizen complaint system",
)
EVENT_KINDS = (
    "summit",
    "workshop",
    "webinar",
    "forum",
    "training programme",
    "general assembly",
    "expo",
    "awards ceremony",
    "network meeting",
)
ZONES = (
    "Asia/Seoul",
    "Europe/Paris",
    "America/Sao_Paulo",
    "Africa/Nairobi",
    "Asia/Almaty",
    "America/New_York",
    "Asia/Kathmandu",
)
CURRENCIES = ("USD", "EUR", "KRW", "JPY", "BRL", "KES", "INR")
#: The date forms of the contract (and the docs' extensions), cycled over events.
DATE_FORMS = (
    "day",
    "day-range",
    "month",
    "month-range",
    "quarter",
    "year-round",
    "tentative",
    "timed",
)


@dataclass
class Corpus:
    """What was generated: counts and the files a benchmark edits."""

    root: Path
    events: list[Path] = field(default_factory=list)
    projects: list[Path] = field(default_factory=list)
    members: list[Path] = field(default_factory=list)
    hugo_pages: int = 0

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"


@dataclass
class _Doc:
    """One generated Markdown file, and what its Hugo twin needs."""

    slug: str
    text: str
    title: str
    body: str
    date: str | None = None
    draft: bool = False
    year: int = 0


@dataclass
class _Member:
    slug: str
    name: str
    short: str
    type: str
    country: str


def q(text: str) -> str:
    """A double-quoted scalar valid in both YAML and TOML."""
    return json.dumps(text, ensure_ascii=False)


class Writer:
    """Generates one corpus from a seeded random source."""

    def __init__(self, n: int, seed: int = DEFAULT_SEED) -> None:
        self.n = n
        self.rng = random.Random(seed * 1_000_003 + n)
        tax = yaml.load((SEED_CONTENT / "taxonomies.yaml").read_text("utf-8"), yaml.BaseLoader)
        self.countries = sorted(
            {c for region in tax["regions"].values() for c in region["countries"]}
        )
        self.sectors = sorted(tax["sectors"])
        self.stakeholders = sorted(tax["stakeholders"])
        self.categories = sorted(tax["event_categories"])

    # -- text --------------------------------------------------------------

    def name(self) -> str:
        """A pronounceable place name."""
        r = self.rng
        return "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 3))).capitalize()

    def words(self, lo: int, hi: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi))]

    def sentence(self) -> str:
        """A sentence with the occasional emphasis or link."""
        r = self.rng
        words = self.words(8, 20)
        roll = r.random()
        i = r.randrange(len(words))
        if roll < 0.15:
            words[i] = f"*{words[i]}*"
        elif roll < 0.25:
            words[i] = f"**{words[i]}**"
        elif roll < 0.35:
            words[i] = f"[{words[i]}](https://example.org/{words[i]}/{r.randint(1, 999)})"
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def heading(self) -> str:
        return " ".join(self.words(2, 4)).capitalize()

    def bullets(self) -> str:
        return "\n".join(
            f"- {' '.join(self.words(3, 9)).capitalize()}" for _ in range(self.rng.randint(3, 6))
        )

    def table(self) -> str:
        r = self.rng
        rows = [
            f"| {' '.join(self.words(1, 3))} | {r.randint(1, 500)} | {r.choice(YEARS)} |"
            for _ in range(r.randint(3, 5))
        ]
        return "\n".join(["| Item | Value | Year |", "| --- | ---: | --- |", *rows])

    def body(self, sections: Sequence[str] = ()) -> str:
        """1-4 KB of Markdown with every construct at least once."""
        target = self.rng.randint(1024, 4096)
        blocks = [self.paragraph()]
        heads = list(sections) or [self.heading() for _ in range(4)]
        extras = [self.bullets, self.table]
        k = 0
        while len("\n\n".join(blocks)) < target or extras:
            blocks.append(f"## {heads[k % len(heads)]}")
            blocks.append(self.paragraph())
            if extras:
                blocks.append(extras.pop(0)())
            elif self.rng.random() < 0.4:
                blocks.append(self.bullets())
            else:
                blocks.append(self.paragraph())
            k += 1
        return "\n\n".join(blocks) + "\n"

    # -- items ---------------------------------------------------------------

    def members(self, count: int) -> list[_Member]:
        r = self.rng
        out = []
        for i in range(count):
            short = self.name()
            kind = r.choices(("local-government", "corporation", "institution"), (6, 2, 2))[0]
            if i == 0:
                kind = "local-government"
            if kind == "local-government":
                name = r.choice(("{} Metropolitan Government", "City of {}", "{} Municipality"))
            elif kind == "corporation":
                name = r.choice(("{} Technologies", "{} Systems Co.", "{} Digital"))
            else:
                name = r.choice(("{} Institute", "{} University", "{} Foundation"))
            out.append(
                _Member(
                    f"{short.lower()}-{i + 1}",
                    name.format(short),
                    short,
                    kind,
                    r.choice(self.countries),
                )
            )
        return out

    def member_file(self, m: _Member, i: int) -> tuple[str, str, str]:
        """(file name, file text, Markdown body) of one member."""
        r = self.rng
        lines = [f"name: {q(m.name)}", f"short_name: {q(m.short)}"]
        lines += [f"type: {m.type}", f"country: {m.country}"]
        if r.random() < 0.5:
            lines.append(f"joined: {r.randint(2010, 2024)}")
        else:
            lines.append(f"joined: {r.randint(2010, 2024)}-{r.randint(1, 12):02d}-05")
        roles = []
        if i == 0:
            roles.append("{role: president}")
        if r.random() < 0.2:
            start = r.choice(YEARS[:-2])
            roles.append(f'{{role: excom-member, term: "{start}-{start + 2}"}}')
        if r.random() < 0.05:
            office = q(m.short + " Office")
            roles.append(f"{{role: regional-office, office: {office}, since: 2019}}")
        if r.random() < 0.05:
            roles.append("{role: vice-president, since: 2016, until: 2018}")
        if r.random() < 0.1:
            roles.append("{role: founding-member}")
        if roles:
            lines.append("roles:")
            lines += [f"  - {role}" for role in roles]
        lines.append(f"website: https://{m.short.lower()}.example.org/")
        if i % 2:
            return f"{m.slug}.yaml", "\n".join(lines) + "\n", ""
        body = self.body()
        return f"{m.slug}.md", "---\n" + "\n".join(lines) + "\n---\n" + body, body

    def project_file(self, i: int, cities: list[_Member]) -> _Doc:
        """One project; 80% in a member city, the rest named by city_name."""
        r = self.rng
        topic = r.choice(TOPICS)
        city = r.choice(cities) if cities and r.random() < 0.8 else None
        place = city.short if city else self.name()
        title = f"{place} {topic}".title().replace("E-", "e-")
        slug = f"{topic.replace(' ', '-')}-{i + 1}"
        lines = [f"title: {q(title)}"]
        if city:
            lines.append(f"city: {city.slug}")
        else:
            lines += [f"city_name: {q(place)}", f"country: {r.choice(self.countries)}"]
        sectors = r.sample(self.sectors, r.randint(1, 3))
        lines.append(f"sectors: [{', '.join(sectors)}]")
        lines.append(f"stakeholders: [{', '.join(r.sample(self.stakeholders, r.randint(0, 3)))}]")
        lines.append(f"implemented: {r.choice(YEARS)}")
        lines.append(f"duration: {r.choice(('Indefinite', '2 years', '18 months'))}")
        lines.append(f"funding: {r.choice(('Government', 'Public-private', 'MDB loan'))}")
        if r.random() < 0.6:
            amount = r.randint(10, 5000) * 1000
            lines.append(f"budget: {{amount: {amount}, currency: {r.choice(CURRENCIES)}}}")
        lines.append(f"summary: {q(' '.join(self.words(10, 25)).capitalize() + '.')}")
        if r.random() < 0.1:
            lines.append(f'awards: ["{r.randint(1, 9)}th WeGO Awards {r.choice(YEARS)} (Gold)"]')
        if i < 6:
            lines.append("featured: true")
        draft = r.random() < 0.02
        if draft:
            lines.append("draft: true")
        lines.append(f'links: [{{label: Project site, url: "https://example.org/p/{slug}"}}]')
        body = self.body(("Overview", "Features", "Key results", "Resources"))
        text = "---\n" + "\n".join(lines) + "\n---\n" + body
        return _Doc(slug, text, title, body, draft=draft)

    def event_dates(self, form: str, year: int) -> tuple[list[str], str]:
        """Front-matter lines for one date form, and an ISO day for Hugo."""
        r = self.rng
        month = r.randint(1, 12)
        day = r.randint(1, 28)
        iso = f"{year}-{month:02d}-{day:02d}"
        if form == "day":
            return [f"date: {iso}"], iso
        if form == "day-range":
            end = min(28, day + r.randint(1, 3))
            return [f"date: {iso}", f"end: {year}-{month:02d}-{end:02d}"], iso
        if form == "month":
            return [f"date: {year}-{month:02d}"], f"{year}-{month:02d}-01"
        if form == "month-range":
            month = min(month, 11)
            end = r.randint(month + 1, 12)
            return [f"date: {year}-{month:02d}", f"end: {year}-{end:02d}"], f"{year}-{month:02d}-01"
        if form == "quarter":
            qtr = r.randint(1, 4)
            return [f"date: {year}-Q{qtr}"], f"{year}-{3 * qtr - 2:02d}-01"
        if form == "year-round":
            return [f"date: {year}", "year_round: true"], f"{year}-01-01"
        if form == "tentative":
            return [f"date: {year}-{month:02d}", "tentative: true"], f"{year}-{month:02d}-01"
        hour = r.choice(("09:00", "10:30", "14:00", "17:00", "21:15"))
        return [f"date: {iso}", f'time: "{hour}"', f"timezone: {r.choice(ZONES)}"], iso

    def event_file(self, i: int, members: list[_Member], projects: list[str]) -> _Doc:
        """One event; date form and format cycle so every combination occurs."""
        r = self.rng
        year = YEARS[i % len(YEARS)]
        kind = r.choice(EVENT_KINDS)
        place = self.name()
        title = f"{place} {kind} {year}".title()
        slug = f"{place.lower()}-{kind.replace(' ', '-')}-{i + 1}"
        date_lines, iso = self.event_dates(DATE_FORMS[i % len(DATE_FORMS)], year)
        lines = [f"title: {q(title)}", *date_lines]
        fmt = ("in-person", "online", "hybrid")[(i // len(DATE_FORMS)) % 3]
        lines.append(f"format: {fmt}")
        if fmt != "online":
            if r.random() < 0.05:
                lines += ["location:", f"  region_label: {r.choice(('Africa', 'Latin America'))}"]
            else:
                country = r.choice(self.countries)
                lines += ["location:", f"  city: {q(place)}", f"  country: {country}"]
                if r.random() < 0.3:
                    lines.append(f"  venue: {q(place + ' Convention Center')}")
        lines.append(f"category: {r.choice(self.categories)}")
        if members and r.random() < 0.7:
            lines.append(f"host: {r.choice(members).slug}")
        if members and r.random() < 0.5:
            chosen = r.sample(members, min(len(members), r.randint(1, 3)))
            lines.append(f"partners: [{', '.join(m.slug for m in chosen)}]")
        if projects and r.random() < 0.4:
            chosen_p = r.sample(projects, min(len(projects), r.randint(1, 2)))
            lines.append(f"projects: [{', '.join(chosen_p)}]")
        status = r.choices(("scheduled", "postponed", "cancelled"), (90, 5, 5))[0]
        lines.append(f"status: {status}")
        lines.append(f"summary: {q(' '.join(self.words(10, 25)).capitalize() + '.')}")
        if r.random() < 0.3:
            lines += [
                "links:",
                f'  - {{label: Official website, url: "https://example.org/e/{i}"}}',
            ]
        draft = r.random() < 0.01
        if draft:
            lines.append("draft: true")
        body = self.body()
        text = "---\n" + "\n".join(lines) + "\n---\n" + body
        return _Doc(slug, text, title, body, iso, draft, year)


def _hugo_page(title: str, date: str | None, body: str, draft: bool) -> str:
    meta = [f"title = {q(title)}"]
    if date:
        meta.append(f"date = {date}")
    if draft:
        meta.append("draft = true")
    return "+++\n" + "\n".join(meta) + "\n+++\n" + body


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "WeGO benchmark"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
"""
HUGO_LAYOUTS = {
    "baseof.html": (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>{{ .Title }} | {{ site.Title }}</title></head>\n"
        '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>\n{{ .Content }}</article>{{ end }}\n'
    ),
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n'
        '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n'
        "{{ end }}</ul>{{ end }}\n"
    ),
}


def generate(n: int, outdir: Path, seed: int = DEFAULT_SEED) -> Corpus:
    """Write ``outdir/content`` and ``outdir/hugo`` for ``n`` events (replacing them)."""
    if n < 5:
        raise ValueError("N must be at least 5")
    w = Writer(n, seed)
    corpus = Corpus(outdir)
    for sub in (corpus.content, corpus.hugo):
        if sub.exists():
            shutil.rmtree(sub)
    content, hugo = corpus.content, corpus.hugo
    content.mkdir(parents=True)
    shutil.copyfile(SEED_CONTENT / "taxonomies.yaml", content / "taxonomies.yaml")
    # WeGO's settings, without share cards: Hugo draws no images, so the two
    # generators do the same work (cards are measured apart, benchmarks/README.md)
    settings = (SEED_CONTENT / "site.yaml").read_text("utf-8")
    settings = re.sub(r"(?m)^share_cards: .*$", "share_cards: false", settings)
    settings = re.sub(r"(?m)^header_menu: .*$", "header_menu: []", settings)  # no pages here
    (content / "site.yaml").write_text(settings, "utf-8")
    if (SEED_CONTENT / "static" / "brand").is_dir():  # the header's logo
        shutil.copytree(SEED_CONTENT / "static" / "brand", content / "static" / "brand")
    (hugo / "content").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    (hugo / "layouts" / "_default").mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / "_default" / name).write_text(text, "utf-8")

    def put(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    members = w.members(max(1, n // 5))
    for i, m in enumerate(members):
        fname, text, body = w.member_file(m, i)
        put(content / "members" / fname, text)
        put(hugo / "content" / "members" / f"{m.slug}.md", _hugo_page(m.name, None, body, False))
        corpus.members.append(content / "members" / fname)

    cities = [m for m in members if m.type == "local-government"]
    slugs = []
    for i in range(max(1, n // 2)):
        doc = w.project_file(i, cities)
        put(content / "projects" / f"{doc.slug}.md", doc.text)
        put(
            hugo / "content" / "projects" / f"{doc.slug}.md",
            _hugo_page(doc.title, None, doc.body, doc.draft),
        )
        corpus.projects.append(content / "projects" / f"{doc.slug}.md")
        slugs.append(doc.slug)

    for i in range(n):
        doc = w.event_file(i, members, slugs)
        rel = Path("events") / str(doc.year) / f"{doc.slug}.md"
        put(content / rel, doc.text)
        put(hugo / "content" / rel, _hugo_page(doc.title, doc.date, doc.body, doc.draft))
        corpus.events.append(content / rel)
    corpus.hugo_pages = len(members) + len(slugs) + n
    return corpus


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.corpus N OUTDIR [--seed S]``."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    p.add_argument("n", type=int, help="number of events (projects: N/2, members: N/5)")
    p.add_argument("outdir", type=Path, help="writes OUTDIR/content and OUTDIR/hugo")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = p.parse_args(argv)
    corpus = generate(args.n, args.outdir, args.seed)
    print(
        f"wrote {len(corpus.events)} events, {len(corpus.projects)} projects, "
        f"{len(corpus.members)} members to {corpus.content} (and a Hugo site in {corpus.hugo})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
