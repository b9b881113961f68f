"""Faceted filtering, one implementation for the catalog, calendar and directory.

A *facet* (region, sector, stakeholder, type, category) maps each item to zero
or more keys of a vocabulary. From the facets of a family this module computes:

* counts per value for a selection (OR within a facet, AND across facets), the
  same rule ``static/js/facets.js`` applies in the browser;
* the selections worth pre-rendering as static pages, so every facet link works
  without JavaScript: every single value, and every pair of values from two
  different facets that matches at least one item;
* the site path of a selection: ``/projects/region/africa/sector/water-management/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Generic, TypeVar

from . import urls

T = TypeVar("T")

Selection = tuple[tuple[str, str], ...]
"""Selected values as ``((facet, key), ...)``, one per facet, in facet order."""


@dataclass(frozen=True)
class FacetDef(Generic[T]):
    """How to read one facet from an item."""

    key: str
    label: str
    vocab: dict[str, str]
    keys_of: Callable[[T], Iterable[str]]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet as a page shows it."""

    key: str
    label: str
    count: int
    selected: bool
    href: str | None  # site path of the selection with this value toggled; None if empty


@dataclass(frozen=True)
class FacetView:
    """A facet with its values for one selection."""

    key: str
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class FilterPage(Generic[T]):
    """A family's index (nothing selected) or one of its pre-rendered filter pages."""

    path: str
    base: str  # the family's index page: "Clear filters" goes there
    selection: Selection
    items: list[T]  # the items it lists, in the family's order
    facets: list[FacetView]
    title: str  # "Public Safety · Latin America"; "" on the index
    pairs: bool = True  # whether pairs of values from two facets have pages too

    @property
    def chosen(self) -> list[tuple[str, FacetValue]]:
        """The selected values with their facet's label, in facet order: the
        removable chips above the results (each value's ``href`` drops it)."""
        return [(f.label, v) for f in self.facets for v in f.values if v.selected]


class Facets(Generic[T]):
    """The facets of one family of items (e.g. projects)."""

    def __init__(
        self,
        base: str,
        items: Sequence[T],
        defs: Sequence[FacetDef[T]],
        ident: Callable[[T], str],
    ) -> None:
        self.base = base  # the family's index page: /projects/
        self.items = list(items)
        self.defs = list(defs)
        self.ident = ident
        self.order = {d.key: n for n, d in enumerate(self.defs)}
        self._keys: list[dict[str, frozenset[str]]] = [
            {d.key: frozenset(d.keys_of(it)) for d in self.defs} for it in self.items
        ]
        self._position = {id(it): n for n, it in enumerate(self.items)}
        self._inverted: dict[str, dict[str, set[int]]] = {d.key: {} for d in self.defs}
        for n, keys in enumerate(self._keys):
            for f, ks in keys.items():
                for k in ks:
                    self._inverted[f].setdefault(k, set()).add(n)

    def path(self, selection: Selection) -> str:
        """Site path of a selection; the family's index for none."""
        return urls.selection_path(self.base, self.normal(selection))

    def normal(self, selection: Iterable[tuple[str, str]]) -> Selection:
        return tuple(sorted(selection, key=lambda fk: (self.order[fk[0]], fk[1])))

    def matches(self, selection: Selection, skip: str | None = None) -> list[int]:
        """Indexes of items matching ``selection`` (ignoring facet ``skip``), in order."""
        found = self._matching(selection, skip)
        return list(range(len(self.items))) if found is None else sorted(found)

    def _matching(self, selection: Selection, skip: str | None = None) -> set[int] | None:
        """The matching indexes as a set; None when nothing is selected (all items)."""
        wanted: dict[str, set[str]] = {}
        for f, k in selection:
            if f != skip:
                wanted.setdefault(f, set()).add(k)
        if not wanted:
            return None
        result: set[int] | None = None
        for f, keys in wanted.items():
            union: set[int] = set()
            for k in keys:
                union |= self._inverted[f].get(k, set())
            result = union if result is None else result & union
        return result or set()

    def select(self, selection: Selection) -> list[T]:
        return [self.items[n] for n in self.matches(selection)]

    def views(self, selection: Selection, prerendered: set[Selection]) -> list[FacetView]:
        """Every facet with counts for ``selection`` and links for no-JS use."""
        chosen = dict(selection)
        out = []
        for d in self.defs:
            # an item counts once for each of its values: |matching ∩ items with the value|
            base = self._matching(selection, skip=d.key)
            inverted = self._inverted[d.key]
            values = []
            for key, label in d.vocab.items():
                having = inverted.get(key, set())
                count = len(having) if base is None else len(having & base)
                selected = chosen.get(d.key) == key
                if selected:
                    toggled = self.normal((f, k) for f, k in selection if f != d.key)
                else:
                    toggled = self.normal(
                        [(f, k) for f, k in selection if f != d.key] + [(d.key, key)]
                    )
                    if toggled not in prerendered:
                        toggled = ((d.key, key),)
                        if toggled not in prerendered:
                            toggled = None
                href = None if toggled is None else self.path(toggled)
                values.append(FacetValue(key, label, count, selected, href))
            out.append(FacetView(d.key, d.label, tuple(values)))
        return out

    def pages(self, pairs: bool = True) -> Iterator[FilterPage[T]]:
        """The index, then every pre-rendered selection (:meth:`selections`), sorted."""
        pre = set(self.selections(pairs))
        for sel in [(), *sorted(pre)]:
            yield FilterPage(
                self.path(sel),
                self.base,
                sel,
                self.select(sel),
                self.views(sel, pre),
                self.title(sel),
                pairs,
            )

    def selections(self, pairs: bool = True) -> list[Selection]:
        """Selections pre-rendered as pages: non-empty singles and pairs."""
        singles: list[Selection] = []
        for d in self.defs:
            for key in d.vocab:
                sel: Selection = ((d.key, key),)
                if self.matches(sel):
                    singles.append(sel)
        out = list(singles)
        if pairs:
            for a, b in combinations(singles, 2):
                if a[0][0] == b[0][0]:
                    continue
                sel = self.normal(a + b)
                if self.matches(sel):
                    out.append(sel)
        return out

    def data_attrs(self, item: T) -> dict[str, str]:
        """``data-f-<facet>`` attribute values for an item's card."""
        n = self._position[id(item)]
        return {f"data-f-{f}": " ".join(sorted(ks)) for f, ks in self._keys[n].items()}

    def index(self) -> dict[str, Any]:
        """The facet index embedded in the page for the script (and for tests)."""
        return {
            "facets": [
                {"key": d.key, "label": d.label, "values": dict(d.vocab)} for d in self.defs
            ],
            "items": {
                self.ident(it): {f: sorted(ks) for f, ks in keys.items()}
                for it, keys in zip(self.items, self._keys, strict=True)
            },
        }

    def title(self, selection: Selection) -> str:
        """A heading for a selection: "Public Safety · Latin America"."""
        labels = {d.key: d.vocab for d in self.defs}
        return " · ".join(labels[f].get(k, k) for f, k in selection)
