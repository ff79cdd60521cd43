import pytest

from dealcopy.install import (
    InstallRejected,
    UninstallRejected,
    api_host,
    uninstall_signature,
    verify_uninstall,
)

DOMAINS = ["amocrm.ru", "kommo.com"]


@pytest.mark.parametrize(
    ("referer", "host"),
    [("demo.amocrm.ru", "demo.amocrm.ru"), ("https://Shop.Kommo.com/", "shop.kommo.com")],
)
def test_referer_of_an_account_gives_its_api_host(referer, host):
    assert api_host(referer, DOMAINS) == host


@pytest.mark.parametrize(
    "referer", ["", None, "evil.com", "demo.amocrm.ru.evil.com", "amocrm.ru", "a/b.amocrm.ru", "127.0.0.1"]
)
def test_foreign_referer_is_refused_so_the_secret_never_leaves(referer):
    with pytest.raises(InstallRejected) as err:
        api_host(referer, DOMAINS)
    assert err.value.code == "bad-referer"


def test_uninstall_signature_round_trip():
    sig = uninstall_signature("s3cret", "client-1", "30000001")
    params = {"client_uuid": "client-1", "account_id": "30000001", "signature": sig}
    assert verify_uninstall(params, "client-1", "s3cret") == 30000001


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"client_uuid": "client-1", "account_id": "1", "signature": "00"}, UninstallRejected),
        ({"client_uuid": "other", "account_id": "1", "signature": "x"}, UninstallRejected),
        ({"client_uuid": "client-1", "account_id": "abc", "signature": "x"}, ValueError),
        ({"client_uuid": "client-1", "account_id": "1"}, ValueError),
    ],
)
def test_bad_uninstall_hooks_are_rejected(params, error):
    with pytest.raises(error):
        verify_uninstall(params, "client-1", "s3cret")


def test_signature_of_another_account_does_not_verify():
    sig = uninstall_signature("s3cret", "client-1", "1")
    with pytest.raises(UninstallRejected):
        verify_uninstall({"client_uuid": "client-1", "account_id": "2", "signature": sig}, "client-1", "s3cret")
