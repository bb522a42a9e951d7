"""Scaling out: uploads through django-storages to S3-compatible object storage.

A real S3 API (moto's server, on a loopback port) stands in for AWS S3 / MinIO, and the
portal's own storage configuration (STORAGE_BUCKET & co. in settings) is used.
"""

import socket

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_storage(settings):
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket="stc-private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "stc-private",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "location": "private",
            },
        },
    }
    storages._storages.pop("default", None)  # rebuild from the overridden setting
    yield storages["default"]
    storages._storages.pop("default", None)
    server.stop()


def test_files_round_trip_through_the_storage_api(s3_storage):
    name = s3_storage.save("documents/ktp.pdf", ContentFile(b"%PDF-1.4 test", name="ktp.pdf"))
    assert s3_storage.exists(name)
    with s3_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 test"
    # Never overwritten: a second upload with the same name gets its own object.
    other = s3_storage.save("documents/ktp.pdf", ContentFile(b"%PDF-1.4 two", name="ktp.pdf"))
    assert other != name
    # Private objects are reached only through short-lived signed URLs.
    url = s3_storage.url(name)
    assert "Signature" in url or "X-Amz-Signature" in url
    s3_storage.delete(name)
    assert not s3_storage.exists(name)
