"""Fixtures of the claim tests: the reviewer's client and evidence on S3."""

import pytest

from tests.servers import moto_server, s3_evidence_storage


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture(scope="session")
def moto_s3():
    """A real S3 endpoint on loopback (moto in server mode) with the bucket S3_BUCKET."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_evidence(settings, moto_s3):
    """settings.STORAGES["evidence"] pointed at the moto S3 server, private and signed."""
    settings.STORAGES = {**settings.STORAGES, "evidence": s3_evidence_storage(moto_s3)}
    return moto_s3
