"""Check web addresses with the standard library only: is each one alive, dead, moved away or unreachable?

`LinkChecker.check_all` asks every address in a thread pool (`concurrent.futures`), at most `per_host` requests
at a time to one host and `workers` in all. Each address is asked with HEAD (GET when HEAD is
refused with 405 or 501), redirects are followed one hop at a time up to `MAX_REDIRECTS` (a loop is
reported as such), timeouts, resets, 429 and 5xx answers are retried `retries` times with a growing
pause, and an HTML page that answers 200 is read (its first 64 KB) for a title saying "not found".
Nothing raises: every address gets a `LinkResult`.
"""

from __future__ import annotations

import html
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from urllib.parse import urljoin, urlsplit

from .. import __version__

PER_HOST = 2
"""Requests at a time to one host (host:port)."""
WORKERS = 8
"""Requests at a time in all."""
RETRIES = 2
"""Further tries after a timeout, a reset connection, 429 or 5xx."""
BACKOFF = 0.5
"""Seconds before the first retry; each further retry waits twice as long."""
MAX_REDIRECTS = 10
REDIRECTS = (301, 302, 303, 307, 308)
HEAD_REFUSED = (405, 501)
RETRY_CODES = (429,)
"""Answers retried besides 5xx."""
READ_LIMIT = 64 * 1024
"""Bytes of an HTML page read to find its title."""
USER_AGENT = f"Mozilla/5.0 (compatible; factsite/{__version__} link checker)"

OK, DEAD, HOME, SOFT_404, LOOP, UNREACHABLE = "ok", "dead", "home", "soft-404", "loop", "unreachable"
STATUSES = (OK, DEAD, HOME, SOFT_404, LOOP, UNREACHABLE)
"""What a check finds; every status but OK and UNREACHABLE is a dead link of some kind."""

_NOT_FOUND_TITLE = re.compile(r"(?<!\d)404(?!\d)|not[\s_-]*found|page (?:does not|doesn't) exist", re.I)
_NOT_FOUND_URL = re.compile(r"(?<!\d)404(?!\d)|not[-_]?found", re.I)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_CHARSET = re.compile(r"charset=([\w-]+)", re.I)


@dataclass(frozen=True)
class LinkResult:
    """What checking one address found."""

    status: str
    """One of STATUSES."""
    code: int | None = None
    """The last HTTP status code, if there was an answer."""
    final_url: str = ""
    """Where the redirects led (the address itself when there were none)."""
    reason: str = ""
    """Why the host could not be reached, the code's phrase, the page's title or the loop, as fitting."""
    checked: float = 0.0
    """When it was checked (seconds since the epoch)."""

    def as_dict(self) -> dict[str, object]:
        """Return the result as plain data for the cache."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> LinkResult | None:
        """Return a result read back from the cache, or None if it is not one."""
        if not isinstance(data, dict) or data.get("status") not in STATUSES:
            return None
        try:
            code = data.get("code")
            return cls(status=str(data["status"]), code=int(code) if code is not None else None,
                       final_url=str(data.get("final_url", "")), reason=str(data.get("reason", "")),
                       checked=float(data.get("checked", 0.0)))
        except (TypeError, ValueError, KeyError):
            return None


@dataclass(frozen=True)
class _Answer:
    code: int
    headers: http.client.HTTPMessage | None
    body: bytes | None = None


class _Transient(Exception):
    """A failure worth another try: a timeout, a reset connection."""


class _Unreachable(Exception):
    """A failure not worth another try: no such host, connection refused."""

    def __init__(self, reason: str, *, whole_host: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.whole_host = whole_host
        """Every address on the host fails the same way (the name does not resolve, nothing listens)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back as an HTTPError, so that each hop is followed (and limited) by hand."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def host_of(url: str) -> str:
    """Return an address's host as messages name it: `example.com`, or `127.0.0.1:8080` with a port."""
    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2] or url


class LinkChecker:
    """Checks addresses with per-host and total limits on the requests at a time."""

    def __init__(self, *, timeout: float = 10.0, per_host: int = PER_HOST, workers: int = WORKERS,
                 retries: int = RETRIES, backoff: float | None = None) -> None:
        self.timeout = timeout
        self.per_host = per_host
        self.workers = workers
        self.retries = retries
        self.backoff = BACKOFF if backoff is None else backoff
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._dead_hosts: dict[str, str] = {}
        self._opener = urllib.request.build_opener(_NoRedirects())

    def check_all(self, urls: Iterable[str], done: Callable[[str, LinkResult], None] | None = None
                  ) -> dict[str, LinkResult]:
        """Check each address once (in host-interleaved order) and return the results by address."""
        ordered = _interleave_hosts(dict.fromkeys(urls))
        results: dict[str, LinkResult] = {}
        executor = ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="factsite-links")
        try:
            futures = {url: executor.submit(self.check, url) for url in ordered}
            for url, future in futures.items():
                results[url] = future.result()
                if done is not None:
                    done(url, results[url])
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return results

    def check(self, url: str) -> LinkResult:
        """Check one address; never raises."""
        try:
            return self._check(url)
        except _Unreachable as failure:
            return LinkResult(UNREACHABLE, reason=failure.reason, final_url=url, checked=time.time())
        except Exception as exc:  # noqa: BLE001 - a strange answer is the host's problem, reported as such
            return LinkResult(UNREACHABLE, reason=_describe(exc), final_url=url, checked=time.time())

    def _check(self, url: str) -> LinkResult:
        current, method, trail = url, "HEAD", [url]
        for _hop in range(MAX_REDIRECTS + 1):
            answer = self._request(current, method)
            if method == "HEAD" and answer.code in HEAD_REFUSED:
                method = "GET"
                answer = self._request(current, method)
            location = answer.headers.get("Location") if answer.headers is not None else None
            if answer.code in REDIRECTS and location:
                following = urljoin(current, location.strip())
                if following in trail:
                    loop = " → ".join([*trail[trail.index(following):], following])
                    return self._result(LOOP, answer.code, current, loop)
                trail.append(following)
                current = following
                continue
            return self._classify(url, current, method, answer)
        return self._result(LOOP, None, current, f"more than {MAX_REDIRECTS} redirects")

    def _classify(self, url: str, final: str, method: str, answer: _Answer) -> LinkResult:
        code = answer.code
        if code >= 400 or code < 200:
            return self._result(DEAD, code, final, _phrase(code))
        if final != url and urlsplit(final).path in ("", "/") and urlsplit(url).path not in ("", "/"):
            return self._result(HOME, code, final, "")
        moved = final != url and _NOT_FOUND_URL.search(urlsplit(final).path + "?" + urlsplit(final).query)
        if moved:
            return self._result(SOFT_404, code, final, f"it leads to {final}")
        if code == 200:
            title = self._title(final, method, answer)
            if title and _NOT_FOUND_TITLE.search(title):
                return self._result(SOFT_404, code, final, f"its title is '{title}'")
        return self._result(OK, code, final, "")

    def _title(self, url: str, method: str, answer: _Answer) -> str:
        """Return an HTML page's title ("" if it is not HTML or has none), reading it with GET if need be."""
        content_type = answer.headers.get("Content-Type", "") if answer.headers is not None else ""
        if "html" not in content_type.lower():
            return ""
        if method == "HEAD":
            try:
                answer = self._request(url, "GET")
            except _Unreachable:
                return ""
            if answer.code != 200:
                return ""
        match = _TITLE.search(answer.body or b"")
        if match is None:
            return ""
        found = _CHARSET.search(content_type)
        try:
            text = match.group(1).decode(found.group(1) if found else "utf-8", errors="replace")
        except LookupError:
            text = match.group(1).decode("utf-8", errors="replace")
        return " ".join(html.unescape(text).split())[:200]

    @staticmethod
    def _result(status: str, code: int | None, final: str, reason: str) -> LinkResult:
        return LinkResult(status, code, final, reason, time.time())

    def _request(self, url: str, method: str) -> _Answer:
        """Ask once, and again after a pause for timeouts, resets, 429 and 5xx; raise _Unreachable if no answer."""
        host = host_of(url)
        last: _Answer | _Transient | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            with self._lock:
                known = self._dead_hosts.get(host)
            if known is not None:
                raise _Unreachable(known)
            try:
                with self._slot(host):
                    answer = self._ask(url, method)
            except _Transient as failure:
                last = failure
                continue
            except _Unreachable as failure:
                if failure.whole_host:
                    with self._lock:
                        self._dead_hosts.setdefault(host, failure.reason)
                raise
            if answer.code >= 500 or answer.code in RETRY_CODES:
                last = answer
                continue
            return answer
        if isinstance(last, _Answer):
            return last
        raise _Unreachable(str(last) if last is not None else "no answer")

    @contextmanager
    def _slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(max(1, self.per_host)))
        with slot:
            yield

    def _ask(self, url: str, method: str) -> _Answer:
        request = urllib.request.Request(url, method=method, headers={
            "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                body = None
                if method == "GET" and "html" in response.headers.get("Content-Type", "").lower():
                    body = response.read(READ_LIMIT)
                return _Answer(response.status, response.headers, body)
        except urllib.error.HTTPError as error:
            error.close()
            return _Answer(error.code, error.headers)
        except urllib.error.URLError as error:
            raise self._failure(error.reason) from None
        except (OSError, http.client.HTTPException) as error:
            raise self._failure(error) from None

    def _failure(self, reason: object) -> Exception:
        """Return the _Transient or _Unreachable that a low-level failure is."""
        if isinstance(reason, socket.gaierror):
            return _Unreachable("the name does not resolve (no such host, or no network)", whole_host=True)
        if isinstance(reason, ConnectionRefusedError):
            return _Unreachable("connection refused (nothing listens at that port)", whole_host=True)
        if isinstance(reason, TimeoutError):
            return _Transient(f"no answer within {self.timeout:g} s")
        if isinstance(reason, http.client.RemoteDisconnected):
            return _Transient("the connection was closed without an answer")
        if isinstance(reason, ConnectionResetError):
            return _Transient("the connection was reset")
        if isinstance(reason, ssl.SSLCertVerificationError):
            return _Unreachable(f"its certificate is not valid ({reason.verify_message})")
        if isinstance(reason, ssl.SSLError):
            return _Unreachable(f"the secure connection failed ({reason.reason or reason})")
        if isinstance(reason, (http.client.HTTPException, ConnectionError)):
            return _Transient(_describe(reason))
        return _Unreachable(_describe(reason))


def _describe(reason: object) -> str:
    """Return a low-level failure in a few words, without its Python class when it has a message."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    text = str(reason).strip()
    return text or type(reason).__name__


def _phrase(code: int) -> str:
    """Return 'HTTP 404 Not Found'."""
    try:
        return f"HTTP {code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def _interleave_hosts(urls: Iterable[str]) -> list[str]:
    """Return the addresses taking hosts in turn, so that workers are not all waiting on one host's slots."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), []).append(url)
    queues = list(by_host.values())
    ordered: list[str] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered
