"""Coerce parameter values by kind into RDF terms, checking them against the store.

>>> coerce_value(Param("year", "year", True, None, ""), "2025", None)
<Literal value=2025 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
"""

from __future__ import annotations

import difflib
import re

from pyoxigraph import Literal, NamedNode

from . import identifiers as ids
from .catalog import Param
from .errors import ParameterError
from .vocab import SKG, XSD

Term = NamedNode | Literal


def coerce_values(param: Param, value: str, store) -> list[Term]:
    """The RDF terms one value stands for: one, except a venue name or acronym, which stands
    for every venue it names ("ICLR" and "International Conference on Learning
    Representations")."""
    if param.kind == "venue":
        return _venues(param, value.strip(), store)
    return [coerce_value(param, value, store)]


def coerce_value(param: Param, value: str, store) -> Term:
    """One value of ``param`` as an RDF term. ``store`` (a GraphStore or None) resolves names."""
    kind = param.kind
    v = value.strip()
    bad = f'parameter "{param.name}" ({kind}): "{value}" '
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", v):
            raise ParameterError(bad + "is not an integer (e.g. 10).")
        return Literal(str(int(v)), datatype=XSD.integer)
    if kind == "year":
        if not re.fullmatch(r"\d{4}", v):
            raise ParameterError(bad + "is not a year (expected four digits, e.g. 2025).")
        return Literal(v, datatype=XSD.gYear)
    if kind == "text":
        if not v:
            raise ParameterError(f'parameter "{param.name}" (text) is empty.')
        return Literal(v)
    if kind == "doi":
        try:
            return NamedNode(ids.doi_iri(ids.normalise_doi(v)))
        except ids.IdentifierError as e:
            raise ParameterError(f'parameter "{param.name}": {e}.') from None
    if kind == "orcid":
        try:
            return NamedNode(ids.orcid_iri(ids.normalise_orcid(v)))
        except ids.IdentifierError as e:
            raise ParameterError(f'parameter "{param.name}": {e}.') from None
    if kind == "iri":
        return _iri(param, v)
    if kind == "person":
        return _person(param, v, store)
    if kind == "venue":
        return _venues(param, v, store)[0]
    raise ParameterError(f'parameter "{param.name}" has unknown kind "{kind}".')


def _iri(param: Param, v: str) -> NamedNode:
    if not re.match(r"^https?://", v, re.IGNORECASE):
        raise ParameterError(f'parameter "{param.name}" (iri): "{v}" is not an http(s) IRI '
                             "(e.g. https://w3id.org/scholkg/id/person/...).")
    try:
        return NamedNode(v)
    except ValueError as e:
        raise ParameterError(f'parameter "{param.name}" (iri): "{v}" is not a valid IRI: '
                             f"{e}.") from None


def _exists(store, iri: NamedNode, cls: NamedNode) -> bool:
    return store is None or store.has_instance(iri.value, cls)


def _person(param: Param, v: str, store) -> NamedNode:
    """A person by IRI, or by name: the exact name (case and spacing aside, homonym number
    kept) if the store has it; a name that only matches other spellings or homonyms ("Hongsheng
    Li" when there are "Hongsheng Li 0001" and "Hongsheng Li 0002") is an error listing them."""
    if re.match(r"^https?://", v, re.IGNORECASE):
        iri = _iri(param, v)
        if _exists(store, iri, SKG.Person):
            return iri
        raise ParameterError(f'parameter "{param.name}": no person <{v}> in the store.')
    if not v:
        raise ParameterError(f'parameter "{param.name}" (person) is empty.')
    iri = NamedNode(ids.person_iri(v))
    if _exists(store, iri, SKG.Person):
        return iri
    labels: dict[str, list[str]] = {}
    for p, label in (store.persons_with_name_key(ids.name_match_key(v)) if store else ()):
        labels.setdefault(p, []).append(label)
    matches = sorted((" / ".join(sorted(ls)), p) for p, ls in labels.items())
    if len(matches) > 1:
        listed = "; ".join(f'"{label}" <{p}>' for label, p in matches)
        raise ParameterError(f'parameter "{param.name}": "{v}" matches {len(matches)} persons: '
                             f"{listed}. Give the name with its homonym number, or the IRI.")
    if matches:
        label, p = matches[0]
        raise ParameterError(f'parameter "{param.name}": no person "{v}" in the store; the '
                             f'closest is "{label}" <{p}>. Give that name or the IRI.')
    raise ParameterError(f'parameter "{param.name}": no person "{v}" in the store.'
                         + _candidates(store, v, SKG.Person))


_STOP = {"on", "of", "the", "and", "for", "in", "to", "a", "an", "at", "&"}


def acronym(name: str) -> str:
    """Initials of a venue name's significant words: "International Conference on Learning
    Representations" -> "ICLR"."""
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", name)
    return "".join(w[0] for w in words if w.lower() not in _STOP).upper()


def _venues(param: Param, v: str, store) -> list[NamedNode]:
    """Venues by IRI, or every venue whose name (case aside) or acronym is the value."""
    if re.match(r"^https?://", v, re.IGNORECASE):
        iri = _iri(param, v)
        if _exists(store, iri, SKG.Venue):
            return [iri]
        raise ParameterError(f'parameter "{param.name}": no venue <{v}> in the store.')
    if not v:
        raise ParameterError(f'parameter "{param.name}" (venue) is empty.')
    if store is None:
        return [NamedNode(ids.venue_iri(v))]
    want = v.casefold()
    found = sorted({iri for iri, label in store.labels_of(SKG.Venue)
                    if label.casefold() == want or acronym(label) == v.upper()})
    if found:
        return [NamedNode(iri) for iri in found]
    raise ParameterError(f'parameter "{param.name}": no venue "{v}" in the store (by name or '
                         "acronym)." + _candidates(store, v, SKG.Venue))


def _candidates(store, text: str, cls: NamedNode) -> str:
    """Names in the store close to ``text``, with IRIs, as a hint."""
    if store is None:
        return ""
    want = ids.person_key(ids.split_homonym(text)[0])
    found = []
    labels: dict[str, str] = {}
    for iri, label in store.labels_of(cls):
        labels.setdefault(label, iri)
        if ids.person_key(ids.split_homonym(label)[0]) == want:
            found.append((label, iri))
    if not found:
        close = difflib.get_close_matches(text, list(labels), n=3, cutoff=0.75)
        found = [(c, labels[c]) for c in close]
    if not found:
        return ' Run "scholkg stats" to see what the store holds.'
    listed = "; ".join(f'"{label}" <{iri}>' for label, iri in sorted(set(found)))
    return f" Did you mean: {listed}?"
