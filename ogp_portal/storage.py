"""Uploads on an S3-compatible object store (SeaweedFS, MinIO, a cloud's), shared by every web
server: a file stored through one is read through any other.

Files are private to the bucket. A download leaves only through the view of what the file
belongs to, after its permission check, as a redirect to a link signed for one object, a few
seconds long (`querystring_expire`), that names the file and its type
(`ogp_portal.uploads.file_response`): the web server's worker is free at once, however large
the file and slow the reader. Browsers reach the store at `public_endpoint_url` (for example
https://files.example.org, through the TLS proxy), servers at `endpoint_url` inside the network.
"""

import threading

from botocore.config import Config
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class ObjectStorage(S3Storage):
    def __init__(self, *, public_endpoint_url: str | None = None, **settings):
        self.public_endpoint_url = public_endpoint_url
        self._clients: dict[str, object] = {}
        self._clients_lock = threading.Lock()
        super().__init__(**settings)

    def _client(self, purpose: str, *, endpoint_url: str | None, config: Config):
        """One boto3 client per purpose, made once (clients are safe to share across threads)."""
        with self._clients_lock:
            if purpose not in self._clients:
                self._clients[purpose] = self._create_session().client(
                    "s3",
                    region_name=self.region_name,
                    endpoint_url=endpoint_url,
                    use_ssl=self.use_ssl,
                    verify=self.verify,
                    config=config,
                )
            return self._clients[purpose]

    def download_url(self, name: str, *, filename: str, content_type: str) -> str:
        """A signed link that downloads `name` as an attachment called `filename`."""
        client = self._client(
            "public",
            endpoint_url=self.public_endpoint_url or self.endpoint_url,
            config=self.client_config,
        )
        return client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket_name,
                "Key": self._normalize_name(clean_name(name)),
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseCacheControl": "private, no-cache",
            },
            ExpiresIn=self.querystring_expire,
        )

    def ping(self, *, timeout: float) -> None:
        """Raises unless the bucket answers within `timeout` seconds (one try)."""
        client = self._client(
            "ping",
            endpoint_url=self.endpoint_url,
            config=self.client_config.merge(
                Config(
                    connect_timeout=timeout,
                    read_timeout=timeout,
                    retries={"max_attempts": 1, "mode": "standard"},
                )
            ),
        )
        client.head_bucket(Bucket=self.bucket_name)
