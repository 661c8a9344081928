"""The Studio's Content-Security-Policy, as built from the configured public URL."""

from __future__ import annotations

from castwright.faces.studio import content_security_policy


def directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_only_this_server_and_its_public_name() -> None:
    policy = directives(content_security_policy("https://audio.example.com:8443/castwright/"))
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    # Asset and upload links are made with the public URL: the origin, never a path.
    assert policy["media-src"] == ["'self'", "blob:", "https://audio.example.com:8443"]
    assert policy["connect-src"] == ["'self'", "https://audio.example.com:8443"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]


def test_a_public_url_that_is_not_a_url_adds_nothing() -> None:
    policy = directives(content_security_policy("not a url"))
    assert policy["media-src"] == ["'self'", "blob:"]
    assert policy["connect-src"] == ["'self'"]
