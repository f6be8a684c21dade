"""The voter journey under load: distinct citizens sign in, open the poll, vote, see the receipt
and look at the published result, each as a browser does it (cookies, CSRF token, keep-alive).

A share of them signs in through Kakao or Naver: the provider's callback ends in a session like
the one a password sign-in creates, so those journeys start with a session written beforehand
and skip the sign-in page. `load.py` runs the journeys beside the pages and the votes.

A Python client rather than wrk: a journey follows cookies and redirects from step to step,
which wrk's Lua hooks cannot do per connection. At the rates measured here (a few hundred
requests a second) the client costs a few per cent of one core; its own time is not counted in
the latencies beyond the socket round trip.
"""

import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

SIGN_IN = "/accounts/login/"
STEPS = ["sign-in page", "sign-in", "poll page", "vote", "receipt", "published result"]


@dataclass
class Citizen:
    email: str
    session: str = ""  # set: signed in through a provider, beforehand
    csrf: str = ""


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    journeys: int = 0
    social: int = 0
    votes: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    citizens_left: bool = True

    def p95(self, step: str) -> float | None:
        values = sorted(self.latencies[step])
        return values[min(len(values) - 1, int(len(values) * 0.95))] if values else None


class Unexpected(Exception):
    """A step answered something else than what a browser expects."""


class Browser:
    """One citizen's browser: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                    "Origin": self.origin,
                    "Referer": self.origin + path,
                }
            )
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, content

    def close(self) -> None:
        self.connection.close()


def _step(outcome: Outcome, lock: threading.Lock, name: str, call, expected: int):
    began = time.perf_counter()
    status, headers, content = call()
    took = time.perf_counter() - began
    if status != expected:
        raise Unexpected(f"{name}: {status} instead of {expected}")
    with lock:
        outcome.latencies[name].append(took)
    return headers, content


def journey(
    browser: Browser, citizen: Citizen, *, password: str, poll: str, option: int, result: str,
    outcome: Outcome, lock: threading.Lock,
) -> None:  # fmt: skip
    step = _step
    if not citizen.session:
        step(outcome, lock, "sign-in page", lambda: browser.request("GET", SIGN_IN), 200)
        step(
            outcome, lock, "sign-in",
            lambda: browser.request(
                "POST", SIGN_IN, {"login": citizen.email, "password": password, "remember": "on"}
            ),
            302,
        )  # fmt: skip
    _headers, page = step(outcome, lock, "poll page", lambda: browser.request("GET", poll), 200)
    if b'name="option"' not in page:
        raise Unexpected("poll page: no ballot")
    headers, _content = step(
        outcome, lock, "vote",
        lambda: browser.request("POST", poll + "vote/", {"option": option}),
        303,
    )  # fmt: skip
    with lock:
        outcome.votes += 1
    receipt = urllib.parse.urlsplit(headers["Location"]).path
    _headers, page = step(outcome, lock, "receipt", lambda: browser.request("GET", receipt), 200)
    if b'id="receipt-code"' not in page:
        raise Unexpected("receipt: no receipt code")
    step(outcome, lock, "published result", lambda: browser.request("GET", result), 200)


def _drive(items: list, *, duration: float, threads: int, one) -> Outcome:
    """`one(item, outcome, lock)` for each item in turn, by `threads` at a time, until
    `duration` has passed or the items ran out; a step's failure ends that item's run only."""
    outcome, lock = Outcome(), threading.Lock()
    queue = iter(items)
    deadline = time.monotonic() + duration

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                item = next(queue, None)
            if item is None:
                outcome.citizens_left = False
                return
            try:
                one(item, outcome, lock)
            except (Unexpected, OSError, http.client.HTTPException) as error:
                with lock:
                    outcome.errors.append(str(error) or type(error).__name__)
            else:
                with lock:
                    outcome.journeys += 1

    began = time.perf_counter()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    return outcome


def run(
    *, port: int, citizens: list[Citizen], password: str, poll: str, option: int, result: str,
    duration: float, threads: int,
) -> Outcome:  # fmt: skip
    """Whole journeys, by `threads` citizens at a time for `duration` seconds, each citizen
    once."""

    def one(citizen: Citizen, outcome: Outcome, lock: threading.Lock) -> None:
        cookies = {"csrftoken": citizen.csrf} if citizen.csrf else {}
        if citizen.session:
            cookies["sessionid"] = citizen.session
        browser = Browser(port, cookies)
        try:
            journey(
                browser, citizen, password=password, poll=poll, option=option, result=result,
                outcome=outcome, lock=lock,
            )  # fmt: skip
        finally:
            browser.close()
        with lock:
            outcome.social += bool(citizen.session)

    return _drive(citizens, duration=duration, threads=threads, one=one)


def sign_ins(
    *, port: int, emails: list[str], password: str, duration: float, threads: int
) -> Outcome:
    """Password sign-ins alone (the sign-in page, then the form), each by another citizen."""

    def one(email: str, outcome: Outcome, lock: threading.Lock) -> None:
        browser = Browser(port, {})
        try:
            _step(outcome, lock, "sign-in page", lambda: browser.request("GET", SIGN_IN), 200)
            _step(
                outcome, lock, "sign-in",
                lambda: browser.request("POST", SIGN_IN, {"login": email, "password": password}),
                302,
            )  # fmt: skip
        finally:
            browser.close()

    return _drive(emails, duration=duration, threads=threads, one=one)
