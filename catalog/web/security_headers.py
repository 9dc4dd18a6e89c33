"""The security headers every answer of both APIs carries, the storefront page's included.

One home for the header set. The Content-Security-Policy allows what the
storefront loads: its own script and stylesheet (no inline code), product
images from any https host (and the placeholder's `data:` URL), and searches
to its own origin. It forbids framing (`frame-ancestors 'none'`, and
X-Frame-Options for older browsers). A route that sets its own policy keeps
it: the Swagger UI page at /docs does (`swagger_docs.py`). HSTS is not set
here: the TLS-terminating proxy adds it. The headers are encoded once; per
answer the middleware only appends them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP_HEADER = b"content-security-policy"
FRAME_ANCESTORS = "frame-ancestors 'none'"
DEFAULT_IMG_SRC = "'self' https: data:"
RawHeaders = tuple[tuple[bytes, bytes], ...]


def content_security_policy(img_src: str = DEFAULT_IMG_SRC) -> str:
    """The policy of the storefront and of every API answer."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img_src}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            FRAME_ANCESTORS,
        )
    )


def security_headers(img_src: str = DEFAULT_IMG_SRC) -> RawHeaders:
    """The header set, encoded for ASGI."""
    return (
        (CSP_HEADER, content_security_policy(img_src).encode("latin-1")),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
    )


class SecurityHeadersMiddleware:
    """Appends the security headers to every HTTP answer that passes through it."""

    def __init__(self, app: ASGIApp, headers: RawHeaders) -> None:
        self.app = app
        self.headers = headers
        self.without_csp = tuple(h for h in headers if h[0] != CSP_HEADER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the start of one HTTP answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = message.get("headers", [])
                extra = (
                    self.without_csp if any(name == CSP_HEADER for name, _ in own) else self.headers
                )
                message["headers"] = [*own, *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
