"""Hosts on this machine: network namespaces (`ip netns`) plugged into one bridge by veth pairs.

Each host has its own address and sees only the network; the machine's own services
(PostgreSQL, Redis, the object store, the mail sink, the load balancer) sit on the bridge at
addresses of their own, so that a host can be cut off from one of them by a route. Needs root.
"""

import ipaddress
import os
import shutil
import signal
import subprocess
from pathlib import Path


def ip(*args: str, namespace: str | None = None) -> None:
    prefix = ["ip", "netns", "exec", namespace] if namespace else []
    subprocess.run([*prefix, "ip", *args], check=True, capture_output=True)


def can_make_namespaces() -> bool:
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    name = f"ogpcheck{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True).returncode == 0
    if made:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
    return made


def _free_subnet() -> ipaddress.IPv4Network:
    routes = subprocess.run(["ip", "-4", "route"], capture_output=True, text=True).stdout
    addresses = subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
    for third in range(os.getpid() % 200, 256):
        subnet = ipaddress.IPv4Network(f"10.213.{third}.0/24")
        if str(subnet.network_address)[:-1] not in routes + addresses:
            return subnet
    raise RuntimeError("no free 10.213.x.0/24 subnet")


class Host:
    """A machine of the cluster: processes run in its namespace, in process groups of their own."""

    def __init__(self, network: "Network", name: str, address: str):
        self.network = network
        self.name = name
        self.namespace = f"{network.tag}-{name}"
        self.address = address
        self.link = ""  # its cable's end on the bridge
        self.processes: list[subprocess.Popen] = []

    def run(self, argv: list[str], *, env: dict, log: Path, cwd: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.namespace, *argv],
            env=env,
            cwd=cwd,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """As when the machine dies: every process of the group at once, nothing cleaned up."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def cut_off(self, address: str) -> None:
        """Packets to `address` go nowhere (a broken link or firewall between the two)."""
        ip("route", "add", "blackhole", f"{address}/32", namespace=self.namespace)

    def reconnect(self, address: str) -> None:
        ip("route", "del", "blackhole", f"{address}/32", namespace=self.namespace)


class Network:
    def __init__(self):
        self.tag = f"ogp{os.getpid() % 100000}"
        self.subnet = _free_subnet()
        self.bridge = f"{self.tag}br"
        self.hosts: list[Host] = []
        self.addresses = iter(self.subnet.hosts())
        self.gateway = self._next_address()

    def _next_address(self) -> str:
        return str(next(self.addresses))

    def __enter__(self) -> "Network":
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        return self

    def service_address(self) -> str:
        """A further address of this machine on the bridge, for one of its services."""
        address = self._next_address()
        ip("addr", "add", f"{address}/32", "dev", self.bridge)
        return address

    def host(self, name: str) -> Host:
        host = Host(self, name, self._next_address())
        number = len(self.hosts)
        outside, inside = f"{self.tag}o{number}", f"{self.tag}i{number}"
        host.link = outside
        subprocess.run(["ip", "netns", "add", host.namespace], check=True)
        self.hosts.append(host)
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", host.namespace)
        ip("link", "set", outside, "master", self.bridge)
        ip("link", "set", outside, "up")
        ip("addr", "add", f"{host.address}/24", "dev", inside, namespace=host.namespace)
        ip("link", "set", inside, "up", namespace=host.namespace)
        ip("link", "set", "lo", "up", namespace=host.namespace)
        ip("route", "add", "default", "via", self.gateway, namespace=host.namespace)
        return host

    def __exit__(self, *exc) -> None:
        for host in self.hosts:
            host.stop_all()
            subprocess.run(["ip", "link", "del", host.link], capture_output=True)  # and its pair
            subprocess.run(["ip", "netns", "del", host.namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
