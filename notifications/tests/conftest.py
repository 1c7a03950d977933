import pytest

from notifications.tests.fake_gateways import FakeKavenegar, FakeSmsIr


@pytest.fixture
def fake_kavenegar():
    with FakeKavenegar() as gateway:
        yield gateway


@pytest.fixture
def fake_smsir():
    with FakeSmsIr() as gateway:
        yield gateway
