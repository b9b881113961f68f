"""Walk ``content/``, validate every file, and collect every error.

The loader reads and validates; it does not decide what pages exist. Its
result, :class:`Content`, is the validated input of :mod:`wego_site.site`.
Errors never stop the walk: each file is checked as far as it can be, then
cross-references are resolved, and all errors are raised together as
:class:`~wego_site.errors.ContentErrors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import crossref
from .bodies import Body
from .errors import ContentError, ContentErrors, display_path, suggest
from .frontmatter import MAX_FILE_BYTES, LineMap, decode, load_yaml, split_front_matter
from .markdown import body_problems as markdown_problems
from .models import Event, Member, Organisation, Page, Project, SiteSettings, Taxonomies
from .models.common import SLUG_RE
from .textcheck import body_problems
from .walk import Entry, hidden, walk

M = TypeVar("M", bound=BaseModel)

#: One-line examples shown when a required field is missing.
EXAMPLES: dict[str, str] = {
    "title": "title: WeGO Executive Committee Meeting 2024",
    "date": "date: 2024-09-19   (or 2024-09, 2024-Q3, 2024)",
    "category": "category: governance",
    "summary": "summary: One or two sentences for cards and feeds.",
    "name": "name: Seoul Metropolitan Government",
    "type": "type: local-government",
    "country": "country: KR",
    "sectors": "sectors: [e-government]",
    "role": "- {role: excom-member, term: 2024-2026}",
    "label": '- {label: Official website, url: "https://example.org"}',
    "url": '- {label: Official website, url: "https://example.org"}',
    "base_url": "base_url: https://example.org/",
}


@dataclass(frozen=True)
class Source:
    """Where an item came from, for error messages and the Markdown body."""

    path: str
    lines: LineMap
    body: str = ""
    body_line: int = 1
    #: The file's path relative to content/, in POSIX form: the body's key.
    key: str = ""

    @property
    def markdown(self) -> Body:
        return Body(self.key, self.body)

    def line(self, *loc: str | int) -> int:
        return self.lines.line(loc)


def parse(text: str, shown: str, markdown: bool, key: str = "") -> tuple[Any, Source]:
    """A file's data and source: YAML, or front matter and body for Markdown.
    Raises ContentError (the body itself is checked by the loader)."""
    if not markdown:
        data, lines = load_yaml(text, shown)
        return data, Source(shown, lines, key=key)
    doc = split_front_matter(text, shown)
    return doc.meta, Source(shown, doc.lines, doc.body, doc.body_line, key)


@dataclass(frozen=True)
class Item(Generic[M]):
    """A validated content item: its slug, its schema instance, its source."""

    slug: str
    data: M
    source: Source


#: Optional: what WeGO's documents say of WeGO itself (models/organisation.py).
ORGANISATION = "organisation.yaml"


@dataclass
class Content:
    """Everything in ``content/``, validated."""

    root: Path
    settings: SiteSettings
    taxonomies: Taxonomies
    events: list[Item[Event]] = field(default_factory=list)
    projects: list[Item[Project]] = field(default_factory=list)
    members: list[Item[Member]] = field(default_factory=list)
    pages: list[Item[Page]] = field(default_factory=list)
    static_files: list[Path] = field(default_factory=list)
    organisation: Organisation = field(default_factory=Organisation)

    @property
    def static_paths(self) -> set[str]:
        """The site paths of the static files: ``/static/brand/logo.svg``."""
        return {"/" + p.relative_to(self.root).as_posix() for p in self.static_files}


def _message(err: ErrorDetails, model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = err["loc"]
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return f"unknown field '{name}'{suggest(name, allowed)}"
    if kind == "missing":
        example = EXAMPLES.get(name)
        return "required field is missing" + (f"; e.g. {example}" if example else "")
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if kind in ("string_type", "bool_type", "int_type", "float_type") and "input" in err:
        msg += f" (got {type(err['input']).__name__} {str(err['input'])[:40]!r})"
    return msg


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (best effort)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        try:
            annotation = current.model_fields[part].annotation
        except (AttributeError, KeyError):
            return []
        current = _innermost_model(annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _innermost_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _innermost_model(arg)
        if found:
            return found
    return None


def validate(
    model: type[M], data: Any, source: Source, context: dict[str, Any]
) -> tuple[M | None, list[ContentError]]:
    """Validate ``data`` against ``model``; map every error to file and line."""
    if not isinstance(data, dict):
        return None, [ContentError(source.path, source.line(), "", "expected 'field: value' lines")]
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            fld = ".".join(str(p) for p in loc)
            errors.append(ContentError(source.path, source.line(*loc), fld, _message(err, model)))
        return None, errors


class Loader:
    """Reads one content folder; collects errors instead of raising early."""

    def __init__(self, root: Path, memo: dict[Path, Any] | None = None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.errors: list[ContentError] = []
        #: Optional memo of validated files across loads (the dev server keeps one):
        #: an unchanged file (same mtime, size, inode, schema, vocabularies) is reused.
        self.memo = memo
        self.vocab_key: tuple[Any, ...] = ()

    # -- reading ---------------------------------------------------------

    def read(self, path: Path) -> str | None:
        shown = display_path(path)
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(self.real_root):
                self.errors.append(
                    ContentError(shown, 0, "", "symbolic link pointing outside content/")
                )
                return None
            raw = path.read_bytes()
        except OSError as exc:
            self.errors.append(ContentError(shown, 0, "", f"cannot read: {exc.strerror}"))
            return None
        if len(raw) > MAX_FILE_BYTES:
            self.errors.append(ContentError(shown, 0, "", "file larger than 1 MiB"))
            return None
        try:
            return decode(raw, shown)
        except ContentError as err:
            self.errors.append(err)
            return None

    def parsed(self, path: Path) -> tuple[Any, Source] | None:
        """A file's data and source, YAML or Markdown by its suffix (a Markdown body
        is checked too); None, with the errors in ``self.errors``, if it fails."""
        text = self.read(path)
        if text is None:
            return None
        shown, markdown = display_path(path), path.suffix == ".md"
        try:
            data, source = parse(text, shown, markdown, key=self.key_of(path))
        except ContentError as err:
            self.errors.append(err)
            return None
        problems = (
            (body_problems(source.body) or markdown_problems(source.body)) if markdown else []
        )
        for line, message in problems:
            self.errors.append(ContentError(shown, source.body_line + line - 1, "body", message))
        return data, source

    def key_of(self, path: Path) -> str:
        """``path`` relative to the content folder, as the rebuild scan names it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def files(self, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        """The content files of ``folder``, sorted; anything else there is an error."""
        found = []
        for p in self._walk(self.root / folder):
            if p.suffix in suffixes:
                found.append(p)
            else:
                self.errors.append(
                    ContentError(
                        display_path(p),
                        0,
                        "",
                        f"unexpected file here; expected {' or '.join(suffixes)}",
                    )
                )
        return found

    def _walk(self, base: Path) -> list[Path]:
        """Every file under ``base`` but hidden ones and editors' backups (``x~``).
        A symbolic link to a folder is not followed; one to a file outside
        content/ is an error."""

        def left_out(rel: str, entry: Entry) -> bool:
            return hidden(rel, entry) or (
                entry.name.endswith("~") and not entry.is_dir(follow_symlinks=False)
            )

        out = []
        for _, entry in walk(base, left_out):
            p = Path(entry.path)
            if entry.is_symlink():
                if not p.resolve().is_relative_to(self.real_root):
                    self.errors.append(
                        ContentError(display_path(p), 0, "", "symbolic link outside content/")
                    )
                    continue
                if p.is_dir():
                    continue
            out.append(p)
        return out

    def slug_of(self, path: Path) -> str | None:
        slug = path.stem
        if not SLUG_RE.match(slug):
            self.errors.append(
                ContentError(
                    display_path(path),
                    0,
                    "",
                    f"file name '{slug}' is not a slug: use lowercase letters, digits and "
                    "single hyphens",
                )
            )
            return None
        return slug

    # -- the walk ----------------------------------------------------------

    def load(self) -> Content:
        """Load and validate everything; raise ContentErrors if anything failed."""
        if not self.root.is_dir():
            raise ContentErrors([ContentError(display_path(self.root), 0, "", "no such folder")])
        settings, settings_source = self.single(self.root / "site.yaml", SiteSettings, {})
        taxonomies, _ = self.single(self.root / "taxonomies.yaml", Taxonomies, {})
        if settings is None or taxonomies is None:
            raise ContentErrors(self.errors)
        ctx = {"taxonomies": taxonomies}
        if self.memo is not None:
            st = (self.root / "taxonomies.yaml").stat()
            self.vocab_key = (st.st_mtime_ns, st.st_size, st.st_ino)
        content = Content(self.root, settings, taxonomies)
        content.members = self.family("members", (".yaml", ".md"), Member, ctx)
        content.projects = self.family("projects", (".md",), Project, ctx)
        content.events = self.family("events", (".md",), Event, ctx)
        content.pages = self.family("pages", (".md",), Page, ctx)
        content.static_files = self.static()
        if (self.root / ORGANISATION).is_file():
            organisation, source = self.single(self.root / ORGANISATION, Organisation, ctx)
            if organisation is not None and source is not None:
                content.organisation = organisation
                members = {m.slug for m in content.members}
                self.errors.extend(crossref.check_organisation(organisation, source, members))
        self.errors.extend(crossref.check(content, self.root))
        assert settings_source is not None
        self.errors.extend(
            crossref.check_settings(settings, settings_source, content.pages, content.static_paths)
        )
        if self.errors:
            raise ContentErrors(self.errors)
        return content

    def single(
        self, path: Path, model: type[M], ctx: dict[str, Any]
    ) -> tuple[M | None, Source | None]:
        if not path.is_file():
            self.errors.append(ContentError(display_path(path), 0, "", "required file is missing"))
            return None, None
        loaded = self.parsed(path)
        if loaded is None:
            return None, None
        obj, errors = validate(model, loaded[0], loaded[1], ctx)
        self.errors.extend(errors)
        return obj, loaded[1]

    def family(
        self, folder: str, suffixes: tuple[str, ...], model: type[M], ctx: dict[str, Any]
    ) -> list[Item[M]]:
        items: list[Item[M]] = []
        for path in self.files(folder, suffixes):
            key = self.memo_key(path, model)
            if key is not None and self.memo is not None and path in self.memo:
                old_key, old_item, old_errors = self.memo[path]
                if old_key == key:
                    self.errors.extend(old_errors)
                    if old_item is not None:
                        items.append(old_item)
                    continue
            before = len(self.errors)
            item = self.one(path, model, ctx)
            if item is not None:
                items.append(item)
            if key is not None and self.memo is not None:
                self.memo[path] = (key, item, self.errors[before:])
        return items

    def one(self, path: Path, model: type[M], ctx: dict[str, Any]) -> Item[M] | None:
        """Read and validate one file (errors go to ``self.errors``)."""
        slug = self.slug_of(path)
        loaded = self.parsed(path)
        if loaded is None or slug is None:
            return None
        data, source = loaded
        obj, errors = validate(model, data, source, ctx)
        self.errors.extend(errors)
        return None if obj is None else Item(slug, obj, source)

    def memo_key(self, path: Path, model: type[BaseModel]) -> tuple[Any, ...] | None:
        """What a memoised result of ``path`` depends on: the file, the schema,
        and the vocabularies it was checked against (taxonomies.yaml)."""
        if self.memo is None:
            return None
        try:
            st = path.lstat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino, model.__name__, self.vocab_key)

    def static(self) -> list[Path]:
        return self._walk(self.root / "static")

    # -- cross-checks --------------------------------------------------------


def load_content(root: Path, memo: dict[Path, Any] | None = None) -> Content:
    """Load ``root`` (a content folder); raise ContentErrors listing every problem.

    With ``memo`` (a dict kept between calls), unchanged files are not re-read.
    """
    return Loader(root, memo).load()
