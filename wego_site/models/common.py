"""Building blocks shared by the schemas: strict base model, links, countries."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from ..errors import suggest

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Strict(BaseModel):
    """Base of every schema: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


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

_URL_RE = re.compile(r"^(?:https?://[^\s/]+[^\s]*|mailto:[^\s]+|/[^\s/][^\s]*|/)$", re.I)


def _check_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(
            f"'{value}' is not allowed: use an http(s):// or mailto: URL, or a site path "
            "starting with /"
        )
    return value


Url = Annotated[
    str,
    AfterValidator(_check_url),
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


def check_key(value: str, info: ValidationInfo, name: str, what: str) -> str:
    """Refuse a key that is not in vocabulary ``name``, suggesting the closest."""
    vocab = vocabulary(info, name)
    if vocab is not None and value not in vocab:
        raise ValueError(f"unknown {what} '{value}'{suggest(value, vocab)}")
    return value
