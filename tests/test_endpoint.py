"""scholkg.link.endpoint against real servers: Oxigraph's SPARQL server (the ``oxigraph`` CLI from
the test extra) for answers and the cache, and a scripted ``http.server`` on 127.0.0.1 for the
failures a public endpoint throws at us (5xx, 429 + Retry-After, slow answers, not JSON)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scholkg.errors import ScholkgError
from scholkg.link.endpoint import EndpointError, SparqlEndpoint, _retry_after_seconds

from .oxiserver import oxigraph_server

EX = "http://example.org/"
DATA = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:w1 ex:title "Graph learning"@en ; ex:year "2021"^^xsd:gYear ; ex:pages 12 ; ex:creator _:p1 .
ex:w2 ex:title "Plain title" .
_:p1 ex:name "Ada Lovelace" .
"""
TITLES = """PREFIX ex: <http://example.org/>
SELECT ?w ?title ?year ?pages WHERE {
  ?w ex:title ?title OPTIONAL { ?w ex:year ?year } OPTIONAL { ?w ex:pages ?pages }
} ORDER BY ?w"""
CREATORS = "PREFIX ex: <http://example.org/> SELECT ?w ?c ?name WHERE { ?w ex:creator ?c . ?c ex:name ?name }"


# -- a real Oxigraph server -------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxi(tmp_path_factory) -> str:
    work = tmp_path_factory.mktemp("oxigraph")
    data = work / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    with oxigraph_server([data], work) as url:
        yield url


def test_select_rows_iris_literals_and_unbound(oxi):
    ep = SparqlEndpoint(oxi, min_interval=0)
    assert ep.select(TITLES) == [
        {"w": EX + "w1", "title": "Graph learning", "year": "2021", "pages": "12"},
        {"w": EX + "w2", "title": "Plain title"},
    ]
    assert (ep.sent, ep.cached, ep.retried) == (1, 0, 0)


def test_select_blank_node_as_label(oxi):
    [row] = SparqlEndpoint(oxi, min_interval=0).select(CREATORS)
    assert row["w"] == EX + "w1" and row["name"] == "Ada Lovelace"
    assert row["c"].startswith("_:") and len(row["c"]) > 2


def test_cache_answers_a_rerun_without_sending(oxi, tmp_path):
    first = SparqlEndpoint(oxi, min_interval=0, cache_dir=tmp_path / "cache")
    rows = first.select(TITLES)
    key = hashlib.sha256(f"{oxi}\n{TITLES}".encode()).hexdigest()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"{key}.json"]

    again = SparqlEndpoint(oxi, min_interval=0, cache_dir=tmp_path / "cache")
    assert again.select(TITLES) == rows
    assert (again.sent, again.cached) == (0, 1)

    # Another query is another cache entry, asked of the server.
    assert again.select(CREATORS)[0]["name"] == "Ada Lovelace"
    assert (again.sent, again.cached) == (1, 1)
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_corrupt_cache_file_is_ignored_and_rewritten(oxi, tmp_path):
    cache = tmp_path / "cache"
    rows = SparqlEndpoint(oxi, min_interval=0, cache_dir=cache).select(TITLES)
    [path] = cache.iterdir()
    path.write_text('{"rows": [ trunc', encoding="utf-8")
    ep = SparqlEndpoint(oxi, min_interval=0, cache_dir=cache)
    assert ep.select(TITLES) == rows
    assert (ep.sent, ep.cached) == (1, 0)
    assert json.loads(path.read_text(encoding="utf-8"))["rows"] == rows
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temp file left behind


def test_syntax_error_fails_at_once_with_the_servers_message(oxi, tmp_path):
    ep = SparqlEndpoint(oxi, min_interval=0, backoff=0.01, cache_dir=tmp_path / "cache")
    with pytest.raises(EndpointError) as info:
        ep.select("SELEC ?x WHERE { ?x ?p ?o }")
    message = str(info.value)
    assert oxi in message and "HTTP 400" in message
    assert "error at 1:1" in message  # Oxigraph's own parser message
    assert "fix the query" in message
    assert (ep.sent, ep.retried) == (1, 0)
    assert list((tmp_path / "cache").iterdir()) == []  # failures are not cached
    assert isinstance(info.value, ScholkgError)


def test_ask_query_is_refused_by_name(oxi):
    with pytest.raises(EndpointError, match="ASK result; select\\(\\) needs a SELECT query"):
        SparqlEndpoint(oxi, min_interval=0).select("ASK { ?s ?p ?o }")


# -- a scripted server for failures -----------------------------------------------------------


@dataclass
class Step:
    status: int = 200
    body: bytes | str | None = None  # None: a valid SPARQL JSON result with one row
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    body_delay: float = 0.0  # after the headers, before the body


@dataclass
class Seen:
    at: float  # time.monotonic() when the request arrived
    method: str
    headers: dict[str, str]
    form: dict[str, list[str]]


OK_BODY = json.dumps({"head": {"vars": ["x"]},
                      "results": {"bindings": [{"x": {"type": "uri", "value": EX + "ok"}}]}})


class Scripted:
    """Answers each request with the next Step; once the script is spent, with Step()."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                with scripted._lock:
                    scripted.seen.append(Seen(time.monotonic(), self.command, dict(self.headers), form))
                    step = scripted.steps.pop(0) if scripted.steps else Step()
                body = OK_BODY if step.body is None else step.body
                body = body.encode("utf-8") if isinstance(body, str) else body
                try:
                    time.sleep(step.delay)
                    self.send_response(step.status)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.flush()
                    time.sleep(step.body_delay)
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up first (that is the point of a slow step)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"

    def gaps(self) -> list[float]:
        return [b.at - a.at for a, b in zip(self.seen, self.seen[1:], strict=False)]


@pytest.fixture()
def scripted():
    s = Scripted()
    thread = threading.Thread(target=s.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()
    thread.join(5)


def fast(url: str, **kw) -> SparqlEndpoint:
    kw = {"min_interval": 0, "backoff": 0.01, **kw}
    return SparqlEndpoint(url, **kw)


def test_request_is_a_form_post_asking_for_sparql_json(scripted):
    ep = fast(scripted.url, user_agent="scholkg-test/1")
    assert ep.select("SELECT ?x WHERE { ?x ?p 'é' }") == [{"x": EX + "ok"}]
    [seen] = scripted.seen
    assert seen.method == "POST"
    assert seen.form == {"query": ["SELECT ?x WHERE { ?x ?p 'é' }"]}
    assert seen.headers["Accept"] == "application/sparql-results+json"
    assert seen.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert seen.headers["User-Agent"] == "scholkg-test/1"


def test_default_user_agent_names_the_project(scripted):
    fast(scripted.url).select("SELECT * {}")
    assert scripted.seen[0].headers["User-Agent"].startswith("scholkg/")


def test_503_twice_then_an_answer(scripted):
    scripted.steps = [Step(503, "busy"), Step(503, "busy")]
    ep = fast(scripted.url)
    assert ep.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert (ep.sent, ep.retried) == (3, 2)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_every_retryable_status_is_retried(scripted, status):
    scripted.steps = [Step(status, "try later")]
    ep = fast(scripted.url)
    assert ep.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert (ep.sent, ep.retried) == (2, 1)


def test_backoff_doubles_between_retries(scripted):
    scripted.steps = [Step(500), Step(500), Step(500)]
    ep = fast(scripted.url, backoff=0.1)
    ep.select("SELECT * {}")
    gaps = scripted.gaps()
    assert len(gaps) == 3
    # 0.1, 0.2, 0.4 s asked; generous margins.
    assert gaps[0] >= 0.07 and gaps[1] >= 0.15 and gaps[2] >= 0.3
    assert gaps[2] > gaps[0]


def test_retry_after_is_honoured(scripted):
    scripted.steps = [Step(429, "slow down", headers={"Retry-After": "1"})]
    ep = fast(scripted.url)
    assert ep.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert (ep.sent, ep.retried) == (2, 1)
    assert scripted.gaps()[0] >= 0.9  # backoff alone would have waited 0.01 s


@pytest.mark.parametrize("header, seconds", [
    ("1", 1.0), (" 2.5 ", 2.5), ("3600", 60.0), ("-4", 0.0), ("soon", None), ("", None), (None, None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: go now
])
def test_retry_after_values(header, seconds):
    assert _retry_after_seconds(header) == seconds


def test_retries_run_out_on_5xx(scripted):
    scripted.steps = [Step(502, "bad gateway upstream")] * 3
    ep = fast(scripted.url, retries=2)
    with pytest.raises(EndpointError) as info:
        ep.select("SELECT * {}")
    message = str(info.value)
    assert scripted.url in message
    assert "failed after 3 attempts: HTTP 502" in message and "bad gateway upstream" in message
    assert "Check the URL" in message and "--timeout" in message
    assert (ep.sent, ep.retried) == (3, 2)
    assert len(scripted.seen) == 3


def test_no_retries_means_one_attempt(scripted):
    scripted.steps = [Step(503)]
    ep = fast(scripted.url, retries=0)
    with pytest.raises(EndpointError, match="failed after 1 attempt: HTTP 503"):
        ep.select("SELECT * {}")
    assert (ep.sent, ep.retried) == (1, 0)


def test_slow_answer_times_out_and_is_retried(scripted):
    scripted.steps = [Step(delay=1.0), Step(delay=1.0)]
    ep = fast(scripted.url, timeout=0.2, retries=1)
    with pytest.raises(EndpointError) as info:
        ep.select("SELECT * {}")
    assert "no answer within 0.2 s (timed out)" in str(info.value)
    assert "raise --timeout (now 0.2 s)" in str(info.value)
    assert (ep.sent, ep.retried) == (2, 1)


def test_slow_body_times_out_then_the_retry_answers(scripted):
    scripted.steps = [Step(body_delay=1.0)]
    ep = fast(scripted.url, timeout=0.2, retries=1)
    assert ep.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert (ep.sent, ep.retried) == (2, 1)


def test_connection_refused_is_retried_then_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    url = f"http://127.0.0.1:{port}/sparql"
    ep = fast(url, retries=2)
    with pytest.raises(EndpointError) as info:
        ep.select("SELECT * {}")
    message = str(info.value)
    assert url in message and "failed after 3 attempts: connection failed" in message
    assert "Check the URL and your network connection" in message
    assert (ep.sent, ep.retried) == (3, 2)


def test_other_http_errors_fail_at_once_with_a_short_message(scripted):
    scripted.steps = [Step(400, "E" * 2000)]
    ep = fast(scripted.url)
    with pytest.raises(EndpointError) as info:
        ep.select("SELECT * {}")
    message = str(info.value)
    assert scripted.url in message and "HTTP 400" in message
    assert "E" * 500 in message and "E" * 501 not in message
    assert (ep.sent, ep.retried) == (1, 0)


def test_not_found_points_at_the_url(scripted):
    scripted.steps = [Step(404, "<html>no such page</html>")]
    with pytest.raises(EndpointError, match="HTTP 404.*no such page.*SPARQL query URL"):
        fast(scripted.url).select("SELECT * {}")


def test_redirect_names_the_new_url(scripted):
    scripted.steps = [Step(301, "moved", headers={"Location": "https://elsewhere.example/sparql"})]
    ep = fast(scripted.url)
    with pytest.raises(EndpointError, match='redirects \\(HTTP 301\\) to "https://elsewhere.example/sparql"'):
        ep.select("SELECT * {}")
    assert (ep.sent, ep.retried) == (1, 0)


@pytest.mark.parametrize("body, expected", [
    ("<html>a login page</html>", 'not JSON \\(starts with "<html>a login page'),
    ('{"head": {}}', "not SPARQL results"),
    ('{"head": {}, "results": {"bindings": [{"x": {"type": "uri"}}]}}', 'malformed value for "x"'),
    ('{"head": {}, "results": {"bindings": [{"x": {"type": "triple", "value": "?"}}]}}',
     'unknown type "triple"'),
    ('{"head": {}, "results": {"bindings": [[]]}}', "malformed result row"),
])
def test_malformed_answers_name_the_url_and_are_not_cached(scripted, tmp_path, body, expected):
    scripted.steps = [Step(body=body)]
    ep = fast(scripted.url, cache_dir=tmp_path / "cache")
    with pytest.raises(EndpointError, match=expected) as info:
        ep.select("SELECT * {}")
    assert scripted.url in str(info.value)
    assert (ep.sent, ep.retried) == (1, 0)
    assert list((tmp_path / "cache").iterdir()) == []


def test_value_kinds_including_legacy_typed_literal(scripted):
    bindings = [
        {"a": {"type": "uri", "value": EX + "a"},
         "b": {"type": "literal", "value": "chat", "xml:lang": "fr"},
         "c": {"type": "typed-literal", "value": "7",
               "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
         "d": {"type": "bnode", "value": "b0"}},
        {},
    ]
    scripted.steps = [Step(body=json.dumps({"head": {"vars": ["a", "b", "c", "d", "e"]},
                                            "results": {"bindings": bindings}}))]
    assert fast(scripted.url).select("SELECT * {}") == [
        {"a": EX + "a", "b": "chat", "c": "7", "d": "_:b0"},
        {},
    ]


def test_rate_limit_spaces_the_starts_of_requests(scripted):
    ep = fast(scripted.url, min_interval=0.3)
    for i in range(3):
        ep.select(f"SELECT * {{}} LIMIT {i + 1}")
    assert ep.sent == 3
    assert all(gap >= 0.25 for gap in scripted.gaps()), scripted.gaps()


def test_rate_limit_also_spaces_retries(scripted):
    scripted.steps = [Step(503)]
    ep = fast(scripted.url, min_interval=0.3, backoff=0.0)
    ep.select("SELECT * {}")
    assert scripted.gaps()[0] >= 0.25


def test_cached_answers_do_not_wait(scripted, tmp_path):
    SparqlEndpoint(scripted.url, min_interval=0, cache_dir=tmp_path).select("SELECT * {}")
    ep = SparqlEndpoint(scripted.url, min_interval=30, cache_dir=tmp_path)
    ep.select("SELECT * {}")  # from the cache: no request, so no 30 s pause
    started = time.monotonic()
    assert ep.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert time.monotonic() - started < 5
    assert (ep.sent, ep.cached) == (0, 2)
    assert len(scripted.seen) == 1


def test_cache_entry_for_another_url_is_not_reused(scripted, tmp_path):
    """A cache file whose recorded URL or query differs (copied, or a hash clash) is not trusted."""
    ep = fast(scripted.url, cache_dir=tmp_path)
    ep.select("SELECT * {}")
    [path] = tmp_path.iterdir()
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "query": "SELECT ?other {}", "rows": []}), encoding="utf-8")
    again = fast(scripted.url, cache_dir=tmp_path)
    assert again.select("SELECT * {}") == [{"x": EX + "ok"}]
    assert (again.sent, again.cached) == (1, 0)


# -- construction -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "file:///tmp/store", "example.org/sparql",
                                 "http://", "query.wikidata.org"])
def test_only_http_urls(url):
    with pytest.raises(EndpointError, match=f'URL "{url}" is not an http\\(s\\) URL.*e.g. https://'):
        SparqlEndpoint(url)


@pytest.mark.parametrize("options, expected", [
    ({"timeout": 0}, 'timeout "0" must be more than 0'),
    ({"retries": -1}, 'retries "-1" must be 0 or more'),
    ({"min_interval": -1}, 'min_interval "-1" must be 0 or more'),
    ({"backoff": float("nan")}, 'backoff "nan" must be 0 or more'),
])
def test_bad_options(options, expected):
    with pytest.raises(EndpointError, match=expected):
        SparqlEndpoint("https://example.org/sparql", **options)


def test_cache_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(EndpointError, match="cannot create the SPARQL answer cache folder"):
        SparqlEndpoint("https://example.org/sparql", cache_dir=blocker / "cache")


def test_https_and_uppercase_scheme_accepted(tmp_path):
    ep = SparqlEndpoint("HTTPS://query.wikidata.org/sparql", cache_dir=tmp_path / "c")
    assert ep.url == "HTTPS://query.wikidata.org/sparql"
    assert (tmp_path / "c").is_dir()


def test_oxigraph_executable_is_found():
    """CI installs the test extra; a missing server must fail, not skip, the tests above."""
    from .oxiserver import oxigraph_executable

    assert Path(oxigraph_executable()).name == "oxigraph"
