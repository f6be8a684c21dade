# ruff: noqa: S310, S603, S607 - a local tool: it runs wrk, git and gunicorn, and asks 127.0.0.1.
"""Load benchmark: the portal under gunicorn on PostgreSQL and Redis, measured over HTTP by wrk.

    .venv/bin/python bench/load.py --scale 0.01   # quick: `make bench`
    .venv/bin/python bench/load.py --scale 1      # full: `make bench BENCH_SCALE=1`, writes
                                                  # bench/RESULTS.md

1. Creates the database (BENCH_DATABASE_URL, default ogp_bench; only names starting with
   ogp_bench), migrates it and fills it with `manage.py bench_data --scale`. A database already
   filled at the same scale is reused unless --fresh is given.
2. Counts the queries of one request per page, and of one vote, with Django's test client.
3. Starts gunicorn (2 sync workers, bench.settings = production settings) and runs wrk against
   each public page and the minimal view (16 connections), then against the vote, each request
   a different citizen signed in by a session written to the database beforehand.
4. Prints the table: req/s, p50/p95/p99, errors, queries, share of the minimal view, worker
   memory; votes/s; database connections in use; counters checked against the ballots.

wrk rather than a Python client: the minimal view answers thousands of requests a second and a
Python client on the same two cores would measure itself; wrk costs little CPU, and its Lua hook
gives each vote its own citizen.
"""

import argparse
import datetime as dt
import io
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
CONNECTIONS = 16
THREADS = 2
WORKERS = 2
VOTES_PER_SECOND_PREPARED = 600  # citizens signed in beforehand, per second of voting
JOURNEYS_PER_SECOND_PREPARED = 150  # citizens kept for the voter journeys, per second of them
SOCIAL_SHARE = 4  # one journey in four signs in through Kakao or Naver

sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench")


def database_name() -> str:
    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    if not name.startswith("ogp_bench"):
        raise SystemExit(f"Refusing to use database {name!r}: its name must start with ogp_bench.")
    return name


def prepare_database(scale: float, fresh: bool) -> str:
    """Creates and fills the bench database, or reuses one filled at the same scale.

    Returns what the generator printed.
    """
    import psycopg

    name = database_name()
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh and filled_at() == scale:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # the schema of the code measured
            return f"reused database {name}, filled earlier at scale {scale}"
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    call_command("bench_data", scale=scale, stdout=out)
    return out.getvalue().strip()


def filled_at() -> float | None:
    """The scale bench_data filled the database at (None: empty, or not filled by it)."""
    import psycopg

    from bench.management.commands.bench_data import COUNCIL_SLUG, SUMMARY_PREFIX
    from councils.models import Council

    try:
        with psycopg.connect(DATABASE_URL) as db:
            row = db.execute(
                f"SELECT summary FROM {Council._meta.db_table} WHERE slug = %s",  # noqa: S608
                [COUNCIL_SLUG],
            ).fetchone()
    except psycopg.Error:
        return None
    if not row or not row[0].startswith(SUMMARY_PREFIX):
        return None
    return float(row[0].removeprefix(SUMMARY_PREFIX))


def pages() -> dict[str, str]:
    """Every public page of issue 12, named as in its table, with the minimal view first."""
    from bench.management.commands.bench_data import BIG_CALL, LIVE_POLL, PUBLISHED_POLL
    from consultations.models import Poll
    from councils.models import Meeting, WorkingGroup
    from proposals.models import Call, Proposal

    meeting = Meeting.objects.filter(minutes__isnull=False).order_by("-starts_at").first()
    proposal = (
        Proposal.objects.filter(call__slug=BIG_CALL, status=Proposal.Status.ADOPTED)
        .order_by("pk")
        .first()
    )
    return {
        "minimal view (no query)": "/bench/minimal/",
        "home `/`": "/",
        "committee": "/council/committee/",
        "groups": "/council/groups/",
        "a group": WorkingGroup.objects.order_by("pk").first().get_absolute_url(),
        "a meeting with minutes": meeting.get_absolute_url(),
        "calls": "/participate/calls/",
        "call with the most proposals": Call.objects.get(slug=BIG_CALL).get_absolute_url(),
        "a proposal": proposal.get_absolute_url(),
        "poll list `/ask/`": "/ask/",
        "open poll (live results)": Poll.objects.get(slug=LIVE_POLL).get_absolute_url(),
        "published poll (the biggest)": Poll.objects.get(slug=PUBLISHED_POLL).get_absolute_url(),
        "`/transparency/`": "/transparency/",
        "open data `/data/`": "/data/",
        "`/data/proposals.json`": "/data/proposals.json",
        "search `태양광`": "/search/?q=" + urllib.parse.quote("태양광"),
        "search, two words `시민 의견`": "/search/?q=" + urllib.parse.quote("시민 의견"),
        "`/feeds/news.atom`": "/feeds/news.atom",
        "`/council/meetings.ics`": "/council/meetings.ics",
        # English pages: Korean runs in them are marked `lang="ko"` as they are rendered.
        "home in English `/en/`": "/en/",
        "a meeting with minutes, in English": "/en" + meeting.get_absolute_url(),
        "call with the most proposals, in English": "/en"
        + Call.objects.get(slug=BIG_CALL).get_absolute_url(),
    }


def count_queries(urls: dict[str, str], voter, viewer) -> tuple[dict, dict]:
    """Queries, status and in-process time of one request per page (anonymous, the first after
    a change), the queries of the next one signed in (what is the same for everyone then comes
    from the cache), and the queries of one vote."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.management.commands.bench_data import LIVE_POLL
    from consultations.models import Poll

    counted = {}
    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    signed_in = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    signed_in.force_login(viewer)
    for name, url in urls.items():
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counted[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "ms": (time.perf_counter() - began) * 1000,
            "kb": len(response.content) / 1024,
        }
        if response.status_code != 200:
            raise SystemExit(f"{name} {url} answered {response.status_code}")
        signed_in.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name} {url} answered {response.status_code} signed in")
        counted[name]["signed_in_queries"] = len(queries)
    poll = Poll.objects.get(slug=LIVE_POLL)
    ballot = {"option": poll.options.first().pk}
    client.force_login(voter)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(poll.get_absolute_url() + "vote/", ballot)
    if response.status_code != 303:
        raise SystemExit(f"A vote answered {response.status_code}")
    return counted, {"queries": len(queries)}


def write_sessions(users) -> list[tuple[str, str]]:
    """Sessions of these citizens as `login()` would store them (user, backend, password hash),
    each with a fresh CSRF secret for its cookie. Returns (session key, CSRF secret) pairs."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from ogp_portal.sessions import SessionStore as store
    from ogp_portal.sessions import stored_key

    Session = store.get_model_class()
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    expires = timezone.now() + dt.timedelta(days=1)
    sessions, pairs = [], []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=stored_key(key), session_data=store().encode(data), expire_date=expires
            )
        )
        pairs.append((key, secrets.token_hex(16)))
    Session.objects.bulk_create(sessions, batch_size=5000)
    return pairs


def not_voted(poll):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(username__startswith="citizen")
        .exclude(poll_participations__poll=poll)
    )


def sign_in_voters(count: int) -> tuple[Path, object, list]:
    """Sessions of `count` citizens who have not voted in the live poll yet, for wrk.

    Returns the wrk voters file, one spare voter (for the query count), and the citizens
    left for the journeys (from the other end of the list, newest first).
    """
    from bench.management.commands.bench_data import LIVE_POLL
    from consultations.models import Poll

    poll = Poll.objects.get(slug=LIVE_POLL)
    voters = list(not_voted(poll).order_by("pk")[: count + 1])
    pairs = write_sessions(voters[1:])
    WORK.mkdir(exist_ok=True)
    path = WORK / "voters.txt"
    path.write_text("".join(f"{key} {csrf}\n" for key, csrf in pairs))
    return path, voters[0], voters


def journey_citizens(count: int, taken: list) -> list:
    """Up to `count` citizens who have not voted in the live poll and are not among `taken`;
    every SOCIAL_SHARE-th one signed in beforehand, as after Kakao or Naver."""
    from bench.journey import Citizen
    from bench.management.commands.bench_data import LIVE_POLL
    from consultations.models import Poll

    poll = Poll.objects.get(slug=LIVE_POLL)
    users = list(not_voted(poll).exclude(pk__in=[u.pk for u in taken]).order_by("-pk")[:count])
    social = users[::SOCIAL_SHARE]
    pairs = dict(zip([u.pk for u in social], write_sessions(social), strict=True))
    return [
        Citizen(email=u.email, session=pairs[u.pk][0], csrf=pairs[u.pk][1])
        if u.pk in pairs
        else Citizen(email=u.email)
        for u in users
    ]


class Server:
    """gunicorn with 2 sync workers, in its own process group so that it can be stopped whole.

    `page_cache=False` starts it without the anonymous page cache: every request renders.
    """

    def __init__(self, *, page_cache: bool = True):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        WORK.mkdir(exist_ok=True)
        self.log = open(WORK / "gunicorn.log", "a")  # noqa: SIM115 - closed in stop()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_POOL"}
        env["BENCH_PAGE_CACHE"] = "on" if page_cache else "off"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "ogp_portal.wsgi:application",
                "--workers", str(WORKERS), "--worker-class", "sync",
                "--bind", f"127.0.0.1:{self.port}", "--timeout", "300",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(self.base + "/bench/minimal/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start; see {WORK / 'gunicorn.log'}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def memory_mb(self, field: str) -> float:
        if self.process.poll() is not None:
            return 0.0
        """VmRSS (now) or VmHWM (peak) of the biggest worker, in MB."""
        sizes = [0]
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes)

    def stop(self) -> None:
        """Quick shutdown: requests still queued by wrk are dropped with the listening socket."""
        try:
            os.killpg(self.process.pid, signal.SIGQUIT)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.log.close()


def get(url: str, timeout: float = 600, cookie: str = "") -> bytes:
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


class Sampler(threading.Thread):
    """Database connections in use, sampled every half second while a page is measured."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_total = self.peak_active = 0
        self.running = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        import psycopg

        name = database_name()
        with psycopg.connect(DATABASE_URL, autocommit=True) as db:
            while not self.stopped.is_set():
                if self.running.is_set():
                    total, active = db.execute(
                        "SELECT count(*), count(*) FILTER (WHERE state = 'active') "
                        "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                        [name],
                    ).fetchone()
                    self.peak_total = max(self.peak_total, total)
                    self.peak_active = max(self.peak_active, active)
                time.sleep(0.5)


def wrk(url: str, duration: int, script: str, args: list[str] = (), cookie: str = "") -> dict:
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "120s",
        "-H", "X-Forwarded-Proto: https", "-s", str(HERE / script), url,
    ]  # fmt: skip
    if cookie:
        command[-1:-1] = ["-H", f"Cookie: {cookie}"]
    if args:
        command += ["--", *args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    result = json.loads(line[5:])
    seconds = result["duration_us"] / 1e6
    result["rate"] = result["requests"] / seconds if seconds else 0.0
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def wait_for_idle_database(timeout: float = 120) -> None:
    """Queries of requests dropped with the last server may still run; let them finish."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(DATABASE_URL, autocommit=True) as db:
        while time.monotonic() < deadline:
            (busy,) = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                [database_name()],
            ).fetchone()
            if not busy:
                return
            time.sleep(0.5)


def ms(microseconds: int) -> str:
    value = microseconds / 1000
    return (
        f"{value / 1000:.1f} s"
        if value >= 1000
        else f"{value:.0f} ms"
        if value >= 10
        else f"{value:.1f} ms"
    )


# How each page is measured: as visitors get it (the anonymous page cache on, so after the
# warm-up request every one is a hit), as a signed-in citizen gets it (the same server; the
# personal parts rendered, what is the same for everyone from the cache), and cold (the cache
# off: every request renders, as for the first visitor after a change).
RUNS = {"anonymous": True, "signed_in": True, "cold": False}


def measure(
    urls: dict[str, str], queries: dict, duration: int, sampler: Sampler, viewer: str
) -> list[dict]:
    """Each page in each of `RUNS`, on a fresh server each time: its workers' peak memory is the
    page's, and requests that wrk leaves queued are dropped with it instead of spilling into the
    next page. `viewer` is the cookie of a signed-in citizen."""
    rows = []
    for name, url in urls.items():
        result = {"name": name, "url": url, "peak": 0.0, **queries[name]}
        for run_name, page_cache in RUNS.items():
            cookie = viewer if run_name == "signed_in" else ""
            wait_for_idle_database()
            server = Server(page_cache=page_cache)
            try:
                get(server.base + url, cookie=cookie)  # warm up: templates, the pool, the cache
                sampler.running.set()
                run = wrk(server.base + url, duration, "report.lua", cookie=cookie)
                sampler.running.clear()
                result["peak"] = max(result["peak"], server.memory_mb("VmHWM"))
            finally:
                sampler.running.clear()
                server.stop()
            result[run_name] = run
        rows.append(result)
        anonymous, signed_in, cold = (result[r] for r in RUNS)
        print(
            f"  {name:<32} {anonymous['rate']:9.1f} req/s  p95 {ms(anonymous['p95']):>8}  "
            f"signed in {signed_in['rate']:7.1f} req/s  p95 {ms(signed_in['p95']):>8}  "
            f"cold {cold['rate']:7.1f} req/s  p95 {ms(cold['p95']):>8}  "
            f"errors {sum(result[r]['errors'] for r in RUNS)}  queries {result['queries']}"
            f"/{result['signed_in_queries']}  worker {result['peak']:.0f} MB",
            flush=True,
        )
    return rows


def tally(poll) -> tuple[int, int]:
    """The poll's participations, and its ballots counted plus the envelopes waiting: each
    vote adds one of each, so a difference in how much they grow is a duplicate or a loss."""
    from consultations.models import Envelope, Participation

    poll.refresh_from_db()
    return (
        Participation.objects.filter(poll=poll).count(),
        poll.ballot_count + Envelope.objects.filter(poll=poll).count(),
    )


def counted(poll, before: tuple[int, int], result: dict) -> None:
    """Runs beat's count, then adds to `result` what the votes left: participations written,
    duplicates (ballots beyond one per participation), envelopes still waiting, counters."""
    from bench.management.commands.bench_data import counter_drift
    from consultations.models import Envelope
    from consultations.services import polls_count

    wait_for_idle_database()
    began = time.perf_counter()
    polls_count()  # what beat does every minute: sealed envelopes into the ballot box
    result["count_seconds"] = time.perf_counter() - began
    after = tally(poll)
    result["participations"] = after[0] - before[0]
    result["duplicates"] = (after[1] - before[1]) - (after[0] - before[0])
    result["counted"] = poll.ballot_count - before[2]
    result["waiting"] = Envelope.objects.filter(poll=poll).count()
    result["drift"] = counter_drift()


def vote(duration: int, voters_file: Path, sampler: Sampler) -> dict:
    from bench.management.commands.bench_data import LIVE_POLL
    from consultations.models import Option, Poll

    poll = Poll.objects.get(slug=LIVE_POLL)
    option = Option.objects.filter(poll=poll).order_by("display_order", "pk").first()
    before = (*tally(poll), poll.ballot_count)
    wait_for_idle_database()
    server = Server()
    try:
        get(server.base + poll.get_absolute_url())
        sampler.running.set()
        result = wrk(
            server.base + poll.get_absolute_url() + "vote/",
            duration,
            "votes.lua",
            [str(voters_file), str(THREADS), poll.get_absolute_url() + "vote/", str(option.pk),
             f"https://127.0.0.1:{server.port}"],
        )  # fmt: skip
        sampler.running.clear()
        get(server.base + "/bench/minimal/")  # answered once the votes in flight are done
        result["peak"] = server.memory_mb("VmHWM")
    finally:
        server.stop()
    counted(poll, before, result)
    result["accepted_rate"] = result["accepted"] / (result["duration_us"] / 1e6)
    return result


def sign_in_rate(duration: int, emails: list[str], sampler: Sampler):
    """Password sign-ins alone, each by another citizen, CONNECTIONS at a time."""
    from bench import journey
    from bench.management.commands.bench_data import PASSWORD

    wait_for_idle_database()
    server = Server()
    try:
        sampler.running.set()
        outcome = journey.sign_ins(
            port=server.port, emails=emails, password=PASSWORD, duration=duration,
            threads=CONNECTIONS,
        )  # fmt: skip
        sampler.running.clear()
    finally:
        server.stop()
    return outcome


def journeys(duration: int, citizens: list, sampler: Sampler):
    """Whole voter journeys by distinct citizens, CONNECTIONS at a time; then beat's count."""
    from bench import journey
    from bench.management.commands.bench_data import LIVE_POLL, PASSWORD, PUBLISHED_POLL
    from consultations.models import Option, Poll

    poll = Poll.objects.get(slug=LIVE_POLL)
    option = Option.objects.filter(poll=poll).order_by("display_order", "pk").first()
    before = (*tally(poll), poll.ballot_count)
    wait_for_idle_database()
    server = Server()
    try:
        sampler.running.set()
        outcome = journey.run(
            port=server.port, citizens=citizens, password=PASSWORD,
            poll=poll.get_absolute_url(), option=option.pk,
            result=Poll.objects.get(slug=PUBLISHED_POLL).get_absolute_url(),
            duration=duration, threads=CONNECTIONS,
        )  # fmt: skip
        sampler.running.clear()
    finally:
        server.stop()
    votes = {"accepted": outcome.votes}
    counted(poll, before, votes)
    return outcome, votes


def machine() -> list[str]:
    import django
    import gunicorn
    import psycopg
    import redis
    from django.conf import settings
    from django.db import connection

    meminfo = Path("/proc/meminfo").read_text().split()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    redis_version = redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, code {commit or 'unknown'}",
        f"- machine: {os.cpu_count()} CPUs (`nproc`), {cpu}, "
        f"{int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024**2:.1f} GB RAM, "
        f"{platform.system()} {platform.release()}, load average at start "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"psycopg {psycopg.__version__}, gunicorn {gunicorn.__version__}, "
        f"PostgreSQL {postgres}, Redis {redis_version}, wrk {wrk_version}",
    ]


def p95_ms(outcome, step: str) -> str:
    value = outcome.p95(step)
    return "—" if value is None else ms(value * 1e6)


# The pages issue 26 holds to its yardsticks as a signed-in citizen (by their names in pages()).
SIGNED_IN_PAGES = [
    "home `/`",
    "`/transparency/`",
    "search `태양광`",
    "`/council/meetings.ics`",
    "call with the most proposals",
    "published poll (the biggest)",
    "poll list `/ask/`",
    "a proposal",
    "a meeting with minutes",
]


def yardsticks(rows, votes, walks, signing) -> list[str]:
    """Issue 26's "done when", each line with its numbers from this run."""
    minimal = rows[0]
    pages = {row["name"]: row for row in rows}

    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    lines = ["", "Issue 26's yardsticks in this run:", ""]
    for name in SIGNED_IN_PAGES:
        row = pages.get(name)
        if row is None:
            lines.append(f"- ? signed in, {name}: not measured in this run")
            continue
        share = row["signed_in"]["rate"] / (minimal["signed_in"]["rate"] or 1.0)
        ok = row["signed_in"]["p95"] < 50_000 and share >= 0.5
        lines.append(
            f"- {mark(ok)} signed in, {name}: p95 {ms(row['signed_in']['p95'])} (< 50 ms), "
            f"{100 * share:.0f} % of the signed-in minimal view (≥ 50 %)"
        )
    ok = (
        votes["accepted_rate"] >= 300 and votes["p95"] < 100_000 and not votes["errors"]
        and not votes["duplicates"]
    )  # fmt: skip
    lines.append(
        f"- {mark(ok)} votes: {votes['accepted_rate']:.0f} a second (≥ 300), p95 "
        f"{ms(votes['p95'])} (< 100 ms), {votes['errors']} errors, {votes['duplicates']} "
        "duplicates"
    )
    rate = signing.journeys / signing.seconds
    lines.append(f"- {mark(rate >= 60)} sign-ins: {rate:.1f} a second (≥ 60)")
    rate = walks.journeys / walks.seconds
    slow = [
        step
        for step in journey_steps()
        if (walks.p95(step) or 0) >= (0.3 if step == "sign-in" else 0.15)
    ]
    lines.append(
        f"- {mark(rate >= 40 and not slow)} voter journeys: {rate:.1f} complete a second (≥ 40), "
        f"p95 of every step under 150 ms but sign-in under 300 ms"
        + (f" (over: {', '.join(slow)})" if slow else "")
    )
    worst = min(rows[1:] or rows, key=lambda row: row["anonymous"]["rate"])
    share = worst["anonymous"]["rate"] / (minimal["anonymous"]["rate"] or 1.0)
    lines.append(
        f"- {mark(share >= 0.9)} anonymous pages: the slowest, {worst['name']}, at "
        f"{100 * share:.0f} % of the minimal view (≥ 90 %)"
    )
    return lines


def journey_steps() -> list[str]:
    from bench.journey import STEPS

    return STEPS


def table(rows, votes, vote_queries, walks, walk_votes, signing, sampler, args) -> list[str]:
    minimal = rows[0]["anonymous"]["rate"] or 1.0
    signed_minimal = rows[0]["signed_in"]["rate"] or 1.0
    lines = [
        f"- set-up: gunicorn {WORKERS} sync workers, `bench.settings` (production settings), "
        f"PostgreSQL with the pool, Redis cache; wrk {THREADS} threads, {CONNECTIONS} "
        f"connections, {args.duration} s per page, on the same machine; data "
        f"`bench_data --scale {args.scale}`",
        "",
        "",
        "Each page three times, on a fresh server each time: as visitors get it (the anonymous "
        "page cache on); as a signed-in citizen gets it (wrk sends the citizen's session "
        "cookie: the personal parts rendered, the rest from the cache; its share is of the "
        "minimal view signed in, first row); and cold (the cache off, every request rendered: "
        "the first visitor after a change). Queries: of the first request after a change, and "
        "of a signed-in request after it.",
        "",
        "| page | req/s | p50 | p95 | p99 | errors | queries | 1 request in-process | "
        "share of the minimal view | signed-in req/s | signed-in p95 | signed-in queries | "
        "signed-in share of the signed-in minimal view | cold req/s | cold p95 | "
        "worker peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        anonymous, signed_in, cold = (row[r] for r in RUNS)
        lines.append(
            f"| {row['name']} (`{urllib.parse.unquote(row['url'])}`) | "
            f"{anonymous['rate']:.1f} | {ms(anonymous['p50'])} | {ms(anonymous['p95'])} | "
            f"{ms(anonymous['p99'])} | {sum(row[r]['errors'] for r in RUNS)} | "
            f"{row['queries']} | {row['ms']:.0f} ms, {row['kb']:.0f} kB | "
            f"{100 * anonymous['rate'] / minimal:.2f} % | {signed_in['rate']:.1f} | "
            f"{ms(signed_in['p95'])} | {row['signed_in_queries']} | "
            f"{100 * signed_in['rate'] / signed_minimal:.2f} % | {cold['rate']:.1f} | "
            f"{ms(cold['p95'])} | {row['peak']:.0f} MB |"
        )
    lines.append(
        f"| votes by distinct citizens (POST) | {votes['accepted_rate']:.1f} accepted/s | "
        f"{ms(votes['p50'])} | {ms(votes['p95'])} | {ms(votes['p99'])} | "
        f"{votes['errors'] + votes['rejected']} | {vote_queries['queries']} | — | — | — | — | — "
        f"| — | — | — | {votes['peak']:.0f} MB |"
    )
    steps = ", ".join(f"{step} {p95_ms(walks, step)}" for step in journey_steps())
    lines += [
        "",
        f"- votes: {votes['accepted']} accepted, {votes['rejected']} refused, "
        f"{votes['errors']} socket/HTTP errors, {votes['duplicates']} duplicates (ballots "
        f"beyond one per participation; {votes['participations']} participations written); "
        f"the count (beat's step, {votes['count_seconds']:.1f} s) put {votes['counted']} "
        f"ballots into the box and left {votes['waiting']} sealed envelopes for the next batch "
        f"(wrk stops counting with up to {CONNECTIONS} votes in flight); counters against "
        f"ballots: {'; '.join(votes['drift']) or 'equal in every poll'}",
        f"- voter journeys (sign-in page → sign-in → the poll → vote → receipt → the published "
        f"result; {CONNECTIONS} citizens at a time, each once, one in {SOCIAL_SHARE} signed in "
        f"through Kakao or Naver, simulated by the session its callback creates): "
        f"**{walks.journeys / walks.seconds:.1f} complete journeys a second** "
        f"({walks.journeys} in {walks.seconds:.0f} s, {walks.social} of them social), "
        f"{len(walks.errors)} errors"
        + (f" ({'; '.join(sorted(set(walks.errors))[:5])})" if walks.errors else "")
        + ("" if walks.citizens_left else ", ran out of citizens")
        + f"; p95 per step: {steps}; {walk_votes['accepted']} votes accepted, "
        f"{walk_votes['participations']} participations written, "
        f"{walk_votes['duplicates']} duplicates, {walk_votes['waiting']} envelopes waiting "
        f"after the count",
        f"- sign-ins alone (the sign-in page, then the form; {CONNECTIONS} distinct citizens "
        f"at a time; passwords hashed with `{settings_value('PASSWORD_HASHERS')[0]}`): "
        f"**{signing.journeys / signing.seconds:.1f} a second**, p95 of the form "
        f"{p95_ms(signing, 'sign-in')}, of the page {p95_ms(signing, 'sign-in page')}, "
        f"{len(signing.errors)} errors"
        + ("" if signing.citizens_left else ", ran out of citizens"),
        f"- peak RSS of a gunicorn worker (VmHWM), all pages: "
        f"{max(row['peak'] for row in [*rows, votes]):.0f} MB",
        f"- database connections to the bench database while measuring: at most "
        f"{sampler.peak_total} open, {sampler.peak_active} active",
        f"- load average at the end (other work shares the machine): "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]
    return lines + yardsticks(rows, votes, walks, signing)


def settings_value(name: str):
    from django.conf import settings

    return getattr(settings, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 0.01)))
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", 0)) or None,
        help="seconds of wrk per page and for the votes (default 5; 30 at full scale, where a "
        "page may take seconds)",
    )
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument(
        "--pages",
        default="",
        help="measure only the pages whose names contain one of these comma-separated words "
        "(the minimal view always); votes, journeys and sign-ins run whatever it says",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="write the table to this Markdown file (default at scale 1: bench/RESULTS.md)",
    )
    args = parser.parse_args()
    args.duration = args.duration or (30 if args.scale >= 1 else 5)
    if args.results is None and args.scale >= 1:
        args.results = HERE / "RESULTS.md"
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_POOL"] = "false"  # this process only; the server keeps its pool
    import django

    database_name()
    began = time.perf_counter()
    django.setup()
    generated = prepare_database(args.scale, args.fresh)
    print(generated)
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    about = machine()
    urls = pages()
    if args.pages:
        words = [word.strip() for word in args.pages.split(",") if word.strip()]
        urls = {
            name: url
            for n, (name, url) in enumerate(urls.items())
            if n == 0 or any(word in name for word in words)
        }
    voters_file, spare, voters = sign_in_voters(VOTES_PER_SECOND_PREPARED * args.duration)
    walkers = journey_citizens(JOURNEYS_PER_SECOND_PREPARED * args.duration, voters)
    # A citizen who only looks: the signed-in column's session, for every page.
    viewer = voters[-1]
    ((session, csrf),) = write_sessions([viewer])
    viewer_cookie = f"sessionid={session}; csrftoken={csrf}"
    print(f"Set-up done in {time.perf_counter() - began:.0f} s. Queries of one request:")
    queries, vote_queries = count_queries(urls, spare, viewer)
    for name, found in queries.items():
        print(
            f"  {name:<32} {found['queries']:3d} queries  {found['ms']:8.0f} ms  "
            f"signed in {found['signed_in_queries']:3d} queries"
        )
    print(f"  {'a vote':<32} {vote_queries['queries']:3d} queries")
    sampler = Sampler()
    sampler.start()
    print(f"wrk, {args.duration} s a page:")
    rows = measure(urls, queries, args.duration, sampler, viewer_cookie)
    votes = vote(args.duration, voters_file, sampler)
    print(f"Voter journeys, {args.duration} s:", flush=True)
    walks, walk_votes = journeys(args.duration, walkers, sampler)
    print(f"Sign-ins alone, {args.duration} s:", flush=True)
    signing = sign_in_rate(args.duration, [u.email for u in voters], sampler)
    sampler.stopped.set()
    lines = table(rows, votes, vote_queries, walks, walk_votes, signing, sampler, args)
    print("\n".join(lines))
    print(f"Done in {time.perf_counter() - began:.0f} s.")
    if args.results:
        args.results.write_text(
            "# Benchmark results\n\nWritten by `bench/load.py` (`make bench`); see the README.\n\n"
            + "\n".join(about + lines)
            + "\n\nData (`bench_data`):\n\n```\n"
            + generated
            + "\n```"
            + "\n"
        )
        print(f"Written to {args.results}")
    if (
        votes["drift"]
        or votes["duplicates"]
        or walk_votes["duplicates"]
        or walks.errors
        or signing.errors
        or any(row[r]["errors"] for row in rows for r in RUNS)
    ):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
