"""The Content-Security-Policy every page carries: nothing inline, nothing from elsewhere."""

from __future__ import annotations


def content_security_policy(connect_src: str = "", *, search: bool = False) -> str:
    """Return the policy; `connect_src` adds an origin pages may connect to (the preview's WebSocket).

    Every page may submit a form to the site itself (the masthead's search box). The search page,
    `search`, may also compile WebAssembly, which Pagefind's index reader is: `'wasm-unsafe-eval'`
    allows that and nothing else (no `eval`, no inline script).
    """
    connect = f"'self' {connect_src}".rstrip()
    script = "'self' 'wasm-unsafe-eval'" if search else "'self'"
    return (f"default-src 'none'; script-src {script}; style-src 'self'; img-src 'self'; font-src 'self'; "
            f"connect-src {connect}; base-uri 'self'; form-action 'self'")
