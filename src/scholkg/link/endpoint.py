"""A polite client for a remote SPARQL endpoint (Wikidata, DBLP, a local Oxigraph server...).

``SparqlEndpoint.select`` sends a SELECT query by HTTP POST and returns its rows as plain
``{variable: lexical value}`` dicts. On the way it

- waits at least ``min_interval`` seconds between the starts of two requests (monotonic clock),
- retries connection errors, timeouts and HTTP 429/500/502/503/504 with exponential backoff
  (``backoff``, 2 x ``backoff``, 4 x ``backoff``... seconds), honouring ``Retry-After`` up to 60 s,
- fails at once, with the server's own message, on any other HTTP error (a query syntax error),
- keeps each successful answer in ``cache_dir`` (one JSON file per URL and query), so a rerun
  answers from disk and sends nothing.

Standard library only: no HTTP dependency.

>>> SparqlEndpoint("ftp://example.org/sparql")
Traceback (most recent call last):
...
scholkg.link.endpoint.EndpointError: SPARQL endpoint URL "ftp://example.org/sparql" is not an http(s) URL; ...
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import logging
import os
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from ..errors import ScholkgError

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "scholkg/0.1 (https://w3id.org/scholkg; entity linking)"
#: HTTP statuses worth another try: rate limited, or a server-side hiccup.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: The longest ``Retry-After`` we honour, in seconds.
MAX_RETRY_AFTER = 60.0
#: How much of a server's error message goes into ours.
MESSAGE_CHARS = 500
CACHE_FORMAT = 1


class EndpointError(ScholkgError):
    """A remote SPARQL endpoint cannot be used: bad URL, unreachable, refused the query, or
    answered something that is not SPARQL JSON results."""


class SparqlEndpoint:
    """One remote SPARQL endpoint, identified by its query URL.

    Counters, for reports and tests: ``sent`` (HTTP requests made, retries included),
    ``cached`` (answers served from ``cache_dir``) and ``retried`` (requests repeated after a
    retryable failure). The rate limit is per instance: share one instance per endpoint.

    Example::

        wd = SparqlEndpoint("https://query.wikidata.org/sparql", cache_dir="cache/wikidata")
        rows = wd.select('SELECT ?item WHERE { ?item wdt:P356 "10.1000/XYZ" }')
        # [{'item': 'http://www.wikidata.org/entity/Q...'}]
    """

    def __init__(self, url: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
                 min_interval: float = 1.0, cache_dir: str | Path | None = None,
                 user_agent: str = DEFAULT_USER_AGENT):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise EndpointError(
                f'SPARQL endpoint URL "{url}" is not an http(s) URL; give the endpoint\'s query URL, '
                "e.g. https://query.wikidata.org/sparql.")
        if not timeout > 0:
            raise EndpointError(f'SPARQL endpoint timeout "{timeout}" must be more than 0 seconds.')
        for name, value in (("backoff", backoff), ("min_interval", min_interval)):
            if not value >= 0:
                raise EndpointError(f'SPARQL endpoint {name} "{value}" must be 0 or more seconds.')
        if retries < 0:
            raise EndpointError(f'SPARQL endpoint retries "{retries}" must be 0 or more.')
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.min_interval = min_interval
        self.user_agent = user_agent
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        if self.cache_dir is not None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise EndpointError(
                    f'cannot create the SPARQL answer cache folder "{self.cache_dir}": {e.strerror or e}; '
                    "give a writable folder.") from None
        self.sent = 0
        self.cached = 0
        self.retried = 0
        self._pace = threading.Lock()
        self._last_start: float | None = None

    def __repr__(self) -> str:
        return f"SparqlEndpoint({self.url!r})"

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; return one dict per row, variable name -> lexical value.

        IRIs come as the IRI string, literals as their lexical form (language and datatype
        dropped), blank nodes as ``_:label``. A variable unbound in a row is absent from it.
        """
        path = self._cache_path(query)
        if path is not None:
            rows = self._read_cache(path, query)
            if rows is not None:
                self.cached += 1
                return rows
        rows = _rows(self._fetch(query), self.url)
        if path is not None:
            self._write_cache(path, query, rows)
        return rows

    # -- HTTP ---------------------------------------------------------------------------------

    def _fetch(self, query: str) -> Any:
        """POST the query until it succeeds or retries run out; return the parsed JSON."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        headers = {
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": self.user_agent,
        }
        attempts = self.retries + 1
        failure = ""
        for attempt in range(attempts):
            if attempt:
                self.retried += 1
            self._wait_turn()
            self.sent += 1
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            retry_after: float | None = None
            try:
                with _OPENER.open(request, timeout=self.timeout) as response:
                    raw = response.read()
            except urllib.error.HTTPError as e:
                message = _server_message(e)
                if e.code in REDIRECT_STATUSES:
                    where = e.headers.get("Location", "?") if e.headers else "?"
                    raise EndpointError(
                        f'SPARQL endpoint {self.url} redirects (HTTP {e.code}) to "{where}"; a redirect '
                        "would drop the POSTed query, so give that URL instead.") from None
                if e.code not in RETRY_STATUSES:
                    raise EndpointError(
                        f"SPARQL endpoint {self.url} refused the query with HTTP {e.code} {e.reason}: "
                        f"{message or '(no message)'}{_hint(e.code)}") from None
                failure = f"HTTP {e.code} {e.reason}" + (f": {message}" if message else "")
                retry_after = _retry_after_seconds(e.headers.get("Retry-After") if e.headers else None)
            except (OSError, http.client.HTTPException) as e:
                failure = _describe_network_error(e, self.timeout)
            else:
                try:
                    return json.loads(raw)
                except ValueError:
                    snippet = raw[:200].decode("utf-8", "replace")
                    raise EndpointError(
                        f"SPARQL endpoint {self.url} answered something that is not JSON "
                        f'(starts with "{snippet}"); check that the URL is the endpoint\'s SPARQL '
                        "query URL.") from None
            if attempt + 1 < attempts:
                delay = self.backoff * 2**attempt
                if retry_after is not None:
                    delay = max(delay, retry_after)
                log.warning("SPARQL endpoint %s: %s; retrying in %.3g s (%d of %d)",
                            self.url, failure, delay, attempt + 1, self.retries)
                time.sleep(delay)
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        raise EndpointError(
            f"SPARQL endpoint {self.url} failed after {tries}: {failure}. Check the URL and your "
            f"network connection; if the endpoint is slow or busy, raise --timeout "
            f"(now {self.timeout:g} s) or try again later.")

    def _wait_turn(self) -> None:
        """Sleep until ``min_interval`` has passed since the start of the previous request."""
        with self._pace:
            now = time.monotonic()
            if self._last_start is not None:
                wait = self._last_start + self.min_interval - now
                if wait > 0:
                    time.sleep(wait)
                    now = time.monotonic()
            self._last_start = now

    # -- cache --------------------------------------------------------------------------------

    def _cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.url}\n{query}".encode()).hexdigest()
        return self.cache_dir / f"{key}.json"

    def _read_cache(self, path: Path, query: str) -> list[dict[str, str]] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning('ignoring unreadable SPARQL cache file "%s" (%s); asking the endpoint again',
                        path, e)
            return None
        rows = data.get("rows") if isinstance(data, dict) else None
        if (not isinstance(data, dict) or data.get("url") != self.url or data.get("query") != query
                or not isinstance(rows, list)
                or not all(isinstance(r, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                       for k, v in r.items()) for r in rows)):
            log.warning('ignoring malformed SPARQL cache file "%s"; asking the endpoint again', path)
            return None
        return rows

    def _write_cache(self, path: Path, query: str, rows: list[dict[str, str]]) -> None:
        data = {"format": CACHE_FORMAT, "url": self.url, "query": query, "rows": rows}
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as e:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            raise EndpointError(
                f'cannot write the SPARQL answer cache file "{path}": {e.strerror or e}; '
                "give a writable --cache folder, or free some disk space.") from None


# -- helpers ----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turn redirects into HTTPError: urllib would re-send a POST as a GET without the query."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _rows(data: Any, url: str) -> list[dict[str, str]]:
    """SPARQL 1.1 JSON results -> rows; anything else is an EndpointError naming ``url``."""
    if isinstance(data, dict) and "boolean" in data and "results" not in data:
        raise EndpointError(f"SPARQL endpoint {url} answered an ASK result; select() needs a SELECT query.")
    bindings = data.get("results", {}).get("bindings") if isinstance(data, dict) else None
    if not isinstance(bindings, list):
        raise EndpointError(
            f'SPARQL endpoint {url} answered JSON that is not SPARQL results (no "results" / '
            '"bindings"); check that the URL is the endpoint\'s SPARQL query URL.')
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise EndpointError(f"SPARQL endpoint {url} answered a malformed result row: {binding!r:.200}")
        row = {}
        for name, term in binding.items():
            if not (isinstance(term, dict) and isinstance(term.get("value"), str)):
                raise EndpointError(
                    f'SPARQL endpoint {url} answered a malformed value for "{name}": {term!r:.200}')
            kind = term.get("type")
            if kind == "bnode":
                row[name] = "_:" + term["value"]
            elif kind in ("uri", "literal", "typed-literal"):
                row[name] = term["value"]
            else:
                raise EndpointError(
                    f'SPARQL endpoint {url} answered a value of unknown type "{kind}" for "{name}".')
        rows.append(row)
    return rows


def _hint(status: int) -> str:
    if status == 400:
        return " -- fix the query (the message above is the server's)."
    if status in (404, 405, 406, 415):
        return " -- check that the URL is the endpoint's SPARQL query URL."
    if status in (401, 403):
        return " -- this endpoint does not let scholkg in; check the URL, or use another endpoint."
    return ""


def _server_message(error: urllib.error.HTTPError) -> str:
    """The first MESSAGE_CHARS characters of an error answer's body, on one line."""
    try:
        raw = error.read(MESSAGE_CHARS * 4)
    except (OSError, http.client.HTTPException):
        return ""
    finally:
        error.close()
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text[:MESSAGE_CHARS]


def _retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds, or an HTTP date) as seconds, capped at 60.

    >>> _retry_after_seconds("3"), _retry_after_seconds("3600"), _retry_after_seconds("soon")
    (3.0, 60.0, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _describe_network_error(error: BaseException, timeout: float) -> str:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(reason, OSError) and reason.strerror:
        return f"connection failed ({reason.strerror})"
    return f"connection failed ({reason or type(reason).__name__})"
