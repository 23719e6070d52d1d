"""The Content-Security-Policy every page carries: nothing inline, nothing from elsewhere."""

from __future__ import annotations


def content_security_policy(connect_src: str = "") -> str:
    """Return the policy; `connect_src` adds an origin pages may connect to (the preview's WebSocket)."""
    connect = f"'self' {connect_src}".rstrip()
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            f"connect-src {connect}; base-uri 'self'; form-action 'none'")
