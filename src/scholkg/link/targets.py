"""What we link against: files read into a table of their works, or a SPARQL endpoint.

Both answer the same two questions for a batch of our works: which of your works could be
these (*candidates*), and what do you say about those works (*describe*).

* :class:`FileTarget` loads dumps or extracts (RDF in any syntax Oxigraph reads, gzip or not;
  or record files our importers read, such as OpenAlex JSON) into a scratch store with
  Oxigraph's bulk loader, scans it once into a :class:`~scholkg.link.table.TargetTable` (every
  work's rows as the schema reads them, and its normalised identifiers and title blocking keys,
  :func:`work_keys`), and drops the store. The table lives under the cache folder, keyed by the
  files' SHA-256, so a rerun loads nothing; candidates are index lookups whatever the spelling,
  and the cost grows linearly with the size.
* :class:`EndpointTarget` asks a SPARQL endpoint for exact identifiers and exact titles only,
  since normalising every title of dblp or Wikidata on their side would be a full scan; answers
  are cached on disk by :class:`~scholkg.link.endpoint.SparqlEndpoint`.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import shutil
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import ScholkgError
from ..identifiers import DATA_BASE
from ..store import GraphStore
from . import names, titles
from .schemas import SCHEMAS, Schema, ScholkgSchema, values
from .table import TargetTable
from .views import WorkView

log = logging.getLogger(__name__)

INDEX_VERSION = "5"
TABLE = "works.sqlite"
BATCH = 400
#: Keys asked for only when the others found nothing sure (they find many more candidates).
WEAK_KEYS = ("d:", "a:")

RDF_EXTENSIONS = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                  ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
                  ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
                  ".n3": ox.RdfFormat.N3, ".jsonld": ox.RdfFormat.JSON_LD}


class TargetError(ScholkgError):
    """A link target cannot be read."""


def work_keys(view: WorkView, *, years_around: int = 0) -> set[str]:
    """Index keys of a work: its identifiers, its titles' blocking keys, and its first author
    with its year (``years_around`` adds the neighbouring years, for our side: a preprint and
    its proceedings differ by one), which finds a work whose title is misspelt beyond the
    title keys' reach."""
    keys = {f"{kind}:{v}" for kind, vs in view.ids.items() for v in vs}
    for t in view.titles:
        keys.update(titles.block_keys(t))
    first = next((a for a in view.ordered if a.position == 1), None)
    if first is not None:
        block = names.parse(first.name).block
        for y in view.years:
            keys.update(f"a:{block}|{y + d}" for d in range(-years_around, years_around + 1))
    return keys


def rows(solutions) -> Iterator[dict[str, str]]:
    """pyoxigraph solutions as dicts of lexical values, unbound variables left out."""
    names = [v.value for v in solutions.variables]
    for s in solutions:  # by position: indexing a solution by name is four times slower
        yield {n: t.value for n, t in zip(names, s, strict=True) if t is not None}


def _batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def rdf_format(path: Path) -> ox.RdfFormat | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return RDF_EXTENSIONS.get(suffixes[-1]) if suffixes else None


class Target(ABC):
    """A graph read through a schema. File and endpoint targets also answer ``candidates``;
    our own store (:class:`LocalSide`) only describes its works."""

    schema: Schema
    description: str
    iri: str  # the dataset linked to, for VoID's objectsTarget

    @abstractmethod
    def describe(self, iris: Iterable[str]) -> dict[str, WorkView]:
        """Works (with their authors) as the target describes them."""

    def close(self) -> None:  # noqa: B027 - nothing to release by default
        """Release what the target holds open."""


class SparqlTarget(Target):
    """A target read by SPARQL queries: an endpoint, or our own store."""

    @abstractmethod
    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a SPARQL SELECT, as lexical values."""

    def describe(self, iris: Iterable[str]) -> dict[str, WorkView]:
        out: dict[str, WorkView] = {}
        todo = sorted(set(iris))
        for batch in _batches(todo, BATCH):
            restrict = values("ext", (ox.NamedNode(i) for i in batch))
            for row in self.select(self.schema.works_query(restrict)):
                self.schema.add_work_row(out, row)
            for row in self.select(self.schema.authors_query(restrict)):
                self.schema.add_author_row(out, row)
        return out


class FileTarget(Target):
    def __init__(self, paths: list[Path], *, schema: str = "auto", cache: Path):
        self.paths = [Path(p) for p in paths]
        for p in self.paths:
            if not p.is_file():
                raise TargetError(f'{p}: no such file. Give dumps or extracts of the graph to '
                                  'link with (RDF, gzip allowed, or OpenAlex/BibTeX/dblp XML).')
        self.description = ", ".join(p.name for p in self.paths)
        self.iri = self.paths[0].resolve().as_uri()
        digest = hashlib.sha256(f"{INDEX_VERSION}|{schema}".encode())
        for p in self.paths:
            with open(p, "rb") as f:
                for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                    digest.update(chunk)
        self.folder = cache / "targets" / digest.hexdigest()[:24]
        if not (self.folder / "READY").exists():
            self._build(schema)
        self.schema = SCHEMAS[(self.folder / "READY").read_text().strip()]
        self.table = TargetTable(self.folder / TABLE)

    def _build(self, schema: str) -> None:
        """Load the files into a scratch store, build the table from it, drop the store: the
        table is all matching reads, and the store would be most of the cache's size."""
        if self.folder.exists():  # an earlier build was interrupted
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        try:
            with GraphStore.open(self.folder / "load", statistics=False) as gs:
                name = self._load(gs, schema)
            shutil.rmtree(self.folder / "load")
            (self.folder / "READY").write_text(name + "\n")
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _load(self, gs: GraphStore, schema: str) -> str:
        from ..importer import import_paths  # the importer imports the store: import late

        records = []
        for i, p in enumerate(self.paths):
            fmt = rdf_format(p)
            if fmt is None:
                records.append(p)
                continue
            # left uncommitted and read as it is: a commit is a write, and a write after a
            # big bulk load waits for RocksDB to compact everything the loader wrote
            graph = f"{DATA_BASE}link-target/file/{i}"
            log.info("loading %s", p)
            if p.suffix.lower() == ".gz":
                with gzip.open(p, "rb") as f:
                    gs.load_rdf(f, format=fmt, graph=graph, origin=str(p))
            else:
                gs.load_rdf(str(p), format=fmt, graph=graph, origin=str(p))
        if records:
            import_paths(gs, records, skip_invalid=True)
        graphs = gs.named_graphs()
        if schema != "auto":
            chosen = SCHEMAS[schema]
        elif records and len(records) == len(self.paths):
            chosen = SCHEMAS["scholkg"]
        else:
            chosen = self._detect_in(gs, graphs)
        self._index(gs, chosen, graphs)
        return chosen.name

    @staticmethod
    def _detect_in(gs: GraphStore, graphs: list[str]) -> Schema:
        for name, pattern in (("dblp", "?s <https://dblp.org/rdf/schema#title> ?o"),
                              ("wikidata", "?s <http://www.wikidata.org/prop/direct/P1476> ?o"),
                              ("scholkg", "?s <https://w3id.org/scholkg/ontology#title> ?o")):
            if gs.query(f"ASK {{ {pattern} }}", graphs=graphs):
                return SCHEMAS[name]
        raise TargetError("these files hold no works in a vocabulary scholkg reads (dblp RDF, "
                          "Wikidata RDF, scholkg); check them, or give --schema.")

    def _index(self, gs: GraphStore, schema: Schema, graphs: list[str]) -> None:
        """Build the table of the target's works (rows and keys), from one scan of the store."""
        log.info("indexing the target's works")

        def scan(query: str) -> Iterator[dict[str, str]]:
            return rows(gs.query(query, graphs=graphs))

        def keys_of_work(ext: str, row: dict[str, str]) -> set[str]:
            views: dict[str, WorkView] = {}
            schema.add_work_row(views, row)
            return work_keys(views[ext])

        def keys_of_first(ext: str, row: dict[str, str]) -> set[str]:
            v = WorkView(ext)
            v.add_author(row["name"], 1)
            if row.get("year"):
                v.add_year(row["year"])
            return work_keys(v)

        first = scan(schema.prefixes + schema.first_authors_sparql) \
            if schema.first_authors_sparql else iter(())
        TargetTable.build(self.folder / TABLE, works=scan(schema.works_query("")),
                          authors=scan(schema.authors_query("")), first_authors=first,
                          work_keys=keys_of_work, author_keys=keys_of_first)

    def describe(self, iris: Iterable[str]) -> dict[str, WorkView]:
        out: dict[str, WorkView] = {}
        for is_author, row in self.table.rows(iris):
            if is_author:
                self.schema.add_author_row(out, row)
            else:
                self.schema.add_work_row(out, row)
        return out

    def candidates(self, works: list[WorkView], *, weak: bool = False) -> dict[str, set[str]]:
        """Works of the target sharing a key with ours: identifiers and whole-title, prefix and
        suffix keys; or, with ``weak``, the keys for misspelt titles (title less a word, first
        author and year), asked only for works the first round did not link."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for w in works:
            for k in work_keys(w, years_around=1):
                if (k[:2] in WEAK_KEYS) == weak:
                    wanted[k].add(w.iri)
        out: dict[str, set[str]] = defaultdict(set)
        for key, exts in self.table.lookup(wanted).items():
            for local in wanted[key]:
                out[local].update(exts)
        return out

    def close(self) -> None:
        self.table.close()


class LocalSide(SparqlTarget):
    """Our own store, read through the scholkg schema: the works we link."""

    def __init__(self, gs: GraphStore, *, exclude: Iterable[str] = ()):
        self.gs = gs
        self.exclude = list(exclude)  # a linkset's own graphs: its last run must not feed this one
        self.schema = ScholkgSchema(external=False)
        self.description = "this graph"
        self.iri = DATA_BASE + "dataset"

    def select(self, query: str) -> list[dict[str, str]]:
        return list(rows(self.gs.query(query, exclude=self.exclude)))

    def work_iris(self) -> list[str]:
        return sorted(r["w"] for r in rows(self.gs.query(
            "SELECT DISTINCT ?w WHERE { ?w a skg:Work }", exclude=self.exclude)))


class EndpointTarget(SparqlTarget):
    def __init__(self, url: str, *, schema: str, cache: Path, timeout: float = 30.0,
                 min_interval: float = 1.0, retries: int = 3):
        from .endpoint import SparqlEndpoint

        if schema == "auto":
            raise TargetError(f"say which vocabulary {url} speaks: --schema dblp, wikidata or "
                              "scholkg.")
        self.schema = SCHEMAS[schema]
        self.description = url
        self.iri = url
        self.endpoint = SparqlEndpoint(url, timeout=timeout, retries=retries,
                                       min_interval=min_interval, cache_dir=cache / "sparql")

    def select(self, query: str) -> list[dict[str, str]]:
        return self.endpoint.select(query)

    def candidates(self, works: list[WorkView], *, weak: bool = False) -> dict[str, set[str]]:
        """One query per batch of works: a UNION of exact lookups, each tagged with its work.
        Endpoints have no weak keys."""
        out: dict[str, set[str]] = defaultdict(set)
        if weak:
            return out
        for batch in _batches(works, 20):
            branches = []
            for i, w in enumerate(batch):
                patterns = [p for kind, vs in sorted(w.ids.items()) for v in sorted(vs)
                            for p in self.schema.id_lookup(kind, v)]
                patterns += [p for t in w.titles for p in self.schema.title_lookup(t)]
                branches += [f"{{ {p} BIND({i} AS ?i) }}" for p in patterns]
            if not branches:
                continue
            q = self.schema.prefixes + "SELECT DISTINCT ?ext ?i WHERE { " + \
                " UNION ".join(branches) + " }"
            for row in self.select(q):
                out[batch[int(row["i"])].iri].add(row["ext"])
        return out
