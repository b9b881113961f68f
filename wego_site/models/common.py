"""Building blocks shared by the schemas: strict base model, links, countries."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import suggest
from ..textcheck import field_problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Strict(BaseModel):
    """Base of every schema: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_hidden_characters(cls, value: Any) -> Any:
        """Every text value is one visible line: no control or bidi characters."""
        _check_text(value)
        return value


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        problem = field_problem(value)
        if problem:
            raise ValueError(problem)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)


@cache
def _countries() -> dict[str, str]:
    import pycountry  # imported lazily: only validation needs it

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


#: Names as WeGO's publications write them where the ISO short name differs.
_PREFERRED = {
    "KR": "Republic of Korea",
    "KP": "North Korea",
    "PS": "Palestine",
    "TW": "Taiwan",
    "RU": "Russia",
    "US": "United States",
    "GB": "United Kingdom",
    "LA": "Laos",
    "MD": "Moldova",
    "SY": "Syria",
    "CD": "DR Congo",
    "BN": "Brunei",
}


@cache
def _numeric() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.numeric for c in pycountry.countries}


def country_numeric(code: str) -> str:
    """The ISO 3166-1 numeric code of an alpha-2 code ("410" for KR), or ""."""
    return _numeric().get(code, "")


def country_name(code: str) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code ("Iran", not "Iran, ...")."""
    name = _PREFERRED.get(code) or _countries().get(code, code)
    return name.split(",")[0]


def _check_country(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        hint = f" (did you mean '{value.upper()}'?)" if re.fullmatch(r"[a-z]{2}", value) else ""
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code{hint}")
    if value not in _countries():
        raise ValueError(
            f"'{value}' is not an ISO 3166-1 alpha-2 country code{suggest(value, _countries())}"
        )
    return value


Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(description="ISO 3166-1 alpha-2 country code, e.g. KR", pattern=r"^[A-Z]{2}$"),
]


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"'{value}' is not a slug (lowercase letters, digits and single hyphens)")
    return value


Slug = Annotated[str, AfterValidator(_check_slug), Field(pattern=SLUG_RE.pattern)]

#: Site paths are resolved against this base, as a browser would against the site.
_PROBE_BASE = "https://site.invalid/"


def check_url(value: str) -> str:
    """Accept http(s)://, mailto: or a site path, judged as a browser parses it (WHATWG,
    with the ada-url parser): ``/\\evil.example`` is off-site, so it is refused."""
    import ada_url  # imported lazily: only validation needs it

    allowed = (
        f"'{value}' is not allowed: use an http(s):// or mailto: URL, or a site path "
        "starting with /"
    )
    if "\\" in value:
        raise ValueError(f"'{value}' contains a backslash, which browsers read as '/'; remove it")
    if any(ch.isspace() for ch in value):
        raise ValueError(f"'{value}' contains a space; write it as %20")
    if value.startswith("/"):
        try:
            parsed = ada_url.URL(value, base=_PROBE_BASE)
        except ValueError:
            raise ValueError(allowed) from None
        if value.startswith("//") or parsed.host != "site.invalid":
            raise ValueError(f"'{value}' leads to another site; a site path starts with a single /")
        return value
    scheme = value.partition(":")[0].lower()
    if scheme not in ("http", "https", "mailto") or not value[len(scheme) + 1 :]:
        raise ValueError(allowed)
    try:
        parsed = ada_url.URL(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a valid URL") from None
    if scheme != "mailto" and (not value.lower().startswith(f"{scheme}://") or not parsed.host):
        raise ValueError(f"'{value}' has no host: write {scheme}://host/...")
    return value


Url = Annotated[
    str,
    AfterValidator(check_url),
    Field(description="http(s)://, mailto: or a site path starting with /"),
]


class Link(Strict):
    """A labelled link shown with an item."""

    label: str = Field(min_length=1, description="What the link leads to")
    url: Url = Field(description="http(s)://, mailto: or a site path")


def vocabulary(info: ValidationInfo, name: str) -> dict[str, Any] | None:
    """The vocabulary ``name`` from the validation context, if one was given."""
    ctx = info.context or {}
    tax = ctx.get("taxonomies")
    return None if tax is None else getattr(tax, name)


def in_vocabulary(name: str, what: str) -> AfterValidator:
    """``Annotated[Slug, in_vocabulary("roles", "role")]``: a key of
    ``taxonomies.<name>`` (checked when the taxonomies are in the context)."""

    def check(value: str, info: ValidationInfo) -> str:
        return check_key(value, info, name, what)

    return AfterValidator(check)


def check_key(value: str, info: ValidationInfo, name: str, what: str) -> str:
    """Refuse a key that is not in vocabulary ``name``, suggesting the closest."""
    vocab = vocabulary(info, name)
    if vocab is not None and value not in vocab:
        raise ValueError(f"unknown {what} '{value}'{suggest(value, vocab)}")
    return value


class SourceRef(Strict):
    """Where an entry's statements come from: a document of ``taxonomies.sources``
    (readers see its title, in a discreet "Source:" line) and, for editors only,
    the lines of its text and a note on how it was read (never shown).
    ``sources: [annual-report-2020]`` is short for ``[{doc: annual-report-2020}]``."""

    doc: Annotated[Slug, in_vocabulary("sources", "source document")] = Field(
        description="Key of taxonomies.sources"
    )
    lines: str | None = Field(
        default=None,
        pattern=r"^\d+(-\d+)?(, ?\d+(-\d+)?)*$",
        description="Line numbers in the source text, e.g. 1110-1391 (for editors)",
    )
    note: str | None = Field(
        default=None, min_length=1, description="For editors: how the source was read"
    )

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"doc": data} if isinstance(data, str) else data
