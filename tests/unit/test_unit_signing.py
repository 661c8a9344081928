"""UrlSigner: URLs on the server's own host that expire, and break if anything is changed."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from castwright.storage import UrlSigner

NOW = 1_800_000_000.0
KEY = "orgs/default/speeches/42/000.wav"


@pytest.fixture
def signer() -> UrlSigner:
    return UrlSigner(b"s3cret", "http://castwright.test:8000/")


def parts(url: str) -> tuple[str, str, str, str]:
    """(key, expires, sig, filename) as the asset route would read them."""
    split = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(split.query).items()}
    key = unquote(split.path.removeprefix("/assets/"))
    return key, query["expires"], query["sig"], query.get("filename", "")


def test_url_is_on_the_public_base_and_verifies(signer: UrlSigner) -> None:
    url = signer.url(KEY, 3600, "intro.wav", now=NOW)
    assert url.startswith("http://castwright.test:8000/assets/orgs/default/speeches/42/000.wav?")
    key, expires, sig, filename = parts(url)
    assert (key, expires, filename) == (KEY, str(int(NOW + 3600)), "intro.wav")
    assert signer.verify(key, expires, sig, filename, now=NOW)
    assert signer.verify(key, expires, sig, filename, now=NOW + 3600)  # last valid second


def test_expired_links_fail(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    assert signer.verify(key, expires, sig, filename, now=NOW + 59)
    assert not signer.verify(key, expires, sig, filename, now=NOW + 61)


def test_extending_the_expiry_breaks_the_signature(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    later = str(int(expires) + 86400)
    assert not signer.verify(key, later, sig, filename, now=NOW)


@pytest.mark.parametrize("expires", ["", "soon", "1.5e9", "0x10"])
def test_malformed_expiry_fails(signer: UrlSigner, expires: str) -> None:
    _, _, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    assert not signer.verify(KEY, expires, sig, filename, now=NOW)


def test_tampering_with_key_or_signature_fails(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    assert not signer.verify("orgs/other/speeches/42/000.wav", expires, sig, filename, now=NOW)
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    assert not signer.verify(key, expires, flipped, filename, now=NOW)
    assert not signer.verify(key, expires, "", filename, now=NOW)
    assert not signer.verify(key, expires, sig.upper(), filename, now=NOW)


def test_signature_is_bound_to_the_filename(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "intro.wav", now=NOW))
    assert not signer.verify(key, expires, sig, "other.wav", now=NOW)
    assert not signer.verify(key, expires, sig, "", now=NOW)
    bare = signer.url(KEY, 60, now=NOW)
    assert "filename=" not in bare
    key, expires, sig, filename = parts(bare)
    assert filename == ""
    assert signer.verify(key, expires, sig, "", now=NOW)
    assert not signer.verify(key, expires, sig, "intro.wav", now=NOW)


def test_another_secret_does_not_verify(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    other = UrlSigner(b"another secret", "http://castwright.test:8000")
    assert not other.verify(key, expires, sig, filename, now=NOW)


def test_signatures_are_deterministic(signer: UrlSigner) -> None:
    again = UrlSigner(b"s3cret", "http://castwright.test:8000")
    assert signer.url(KEY, 60, "a.wav", now=NOW) == again.url(KEY, 60, "a.wav", now=NOW)


def test_signature_is_bound_to_the_method(signer: UrlSigner) -> None:
    key, expires, sig, filename = parts(signer.url(KEY, 60, "a.wav", now=NOW))
    assert signer.verify(key, expires, sig, filename, now=NOW, method="GET")
    assert signer.verify(key, expires, sig, filename, now=NOW, method="get")
    assert not signer.verify(key, expires, sig, filename, now=NOW, method="PUT")


def test_upload_urls_live_under_their_prefix_and_only_upload(signer: UrlSigner) -> None:
    url = signer.url(KEY, 60, now=NOW, method="PUT", path_prefix="/uploads")
    assert url.startswith("http://castwright.test:8000/uploads/orgs/default/speeches/42/000.wav?")
    split = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(split.query).items()}
    key = unquote(split.path.removeprefix("/uploads/"))
    expires, sig = query["expires"], query["sig"]
    assert signer.verify(key, expires, sig, now=NOW, method="PUT", path_prefix="/uploads")
    assert signer.verify(key, expires, sig, now=NOW, method="PUT", path_prefix="uploads/")
    # The same signature is worthless as a download, or for another route.
    assert not signer.verify(key, expires, sig, now=NOW)
    assert not signer.verify(key, expires, sig, now=NOW, method="GET", path_prefix="/uploads")
    assert not signer.verify(key, expires, sig, now=NOW, method="PUT")
