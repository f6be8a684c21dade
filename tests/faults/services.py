"""Services a fault test owns: its own Redis, SMTP sinks, site and workers, on its own ports.

Nothing here touches the machine's shared Redis or PostgreSQL servers.
"""

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sinks' chatter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A redis-server of the test's own, that the test stops and starts."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is required for fault tests"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(lambda: port_open(self.port), 10)

    def freeze(self):
        """Stops answering without closing anything, as a Redis stuck on its disk or swap."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class Sink:
    """An SMTP server that records what it receives, or answers `code` to every message."""

    def __init__(self, *, code: int | None = None, delay: float = 0.0, host: str = "127.0.0.1"):
        self.port = free_port()
        self.code = code
        self.delay = delay
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=host, port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.code is not None:
            return f"{self.code} refused by the test sink"
        message_id = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                message_id = line.split(":", 1)[1].strip()
                break
        with self.lock:
            self.received.extend((rcpt, message_id) for rcpt in envelope.rcpt_tos)
        return "250 OK"

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(rcpt for rcpt, _ in self.received)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Tarpit:
    """A mail server that accepts its first connection and never says a word on it.

    Later connections are passed through to `then` (a Sink's port), as when one of a mail
    relay's machines hangs and the next connection reaches a healthy one.
    """

    def __init__(self, *, then: int):
        self.port = free_port()
        self.then = then
        self.server = socket.create_server(("127.0.0.1", self.port))
        self.held = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        self.server.settimeout(0.2)
        while self.running:
            try:
                client = self.server.accept()[0]
            except TimeoutError:
                continue
            if not self.held:
                self.held.append(client)
                continue
            upstream = socket.create_connection(("127.0.0.1", self.then))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        for connection in self.held:
            connection.close()
        self.server.close()


class LatencyProxy:
    """A TCP proxy to PostgreSQL on a port of its own that holds every message of the client
    for `delay` seconds: each round trip to the database takes that much longer."""

    def __init__(self, *, delay: float, port: int):
        self.delay = delay
        self.upstream = port
        self.port = free_port()
        self.server = socket.create_server(("127.0.0.1", self.port), backlog=256)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        self.server.settimeout(0.2)
        while self.running:
            try:
                client = self.server.accept()[0]
            except TimeoutError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            for end in (client, upstream):
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source, target, slow: bool):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if slow:
                    time.sleep(self.delay)
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.server.close()


def process_env(**extra) -> dict:
    """The environment of a site or worker process on the test's own database."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "DATABASE_POOL": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Worker:
    """A Celery worker process, killed and started again at will."""

    def __init__(self, **env):
        self.env = process_env(**env)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ogp_portal",
                "worker",
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Site:
    """The portal under gunicorn, as a process of its own: two sync workers, or the image's
    worker model (`deploy/gunicorn.conf.py`) with `shipped=True`."""

    def __init__(self, *, shipped: bool = False, **env):
        self.port = free_port()
        self.env = process_env(**env)
        self.shipped = shipped
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *(
                    ["--config", "deploy/gunicorn.conf.py"]
                    if self.shipped
                    else ["ogp_portal.wsgi:application", "--workers", "2"]
                ),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        assert wait_for(lambda: port_open(self.port), 30), "the site did not start"
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(20)


class Relay:
    """A TCP relay to a server (PostgreSQL, Redis) that the test can cut and restore.

    Cut, it drops every relayed connection and holds new ones without a word, as a network
    that loses packets does; restored, it relays again. `host` may be any local address (the
    cluster test listens on its bridge, where the network-namespace hosts reach it).
    """

    def __init__(self, *, target: tuple[str, int], host: str = "127.0.0.1", port: int = 0):
        self.target = target
        self.server = socket.create_server((host, port))
        self.host, self.port = self.server.getsockname()[:2]
        self.cut_off = threading.Event()
        self.running = True
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        self.server.settimeout(0.2)
        while self.running:
            try:
                client = self.server.accept()[0]
            except (TimeoutError, OSError):
                continue
            with self.lock:
                self.sockets.append(client)
            if self.cut_off.is_set():
                continue  # held, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=Tarpit._pipe, args=(a, b), daemon=True).start()

    def cut(self):
        self.cut_off.set()
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for held in sockets:
            with contextlib.suppress(OSError):
                held.shutdown(socket.SHUT_RDWR)
            held.close()

    def restore(self):
        """Relays again; the connections held while cut are reset, as after a real outage."""
        self.cut()
        self.cut_off.clear()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.cut()
        self.server.close()
