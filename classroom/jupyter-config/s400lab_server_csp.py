"""A Content-Security-Policy on every response of a classroom user's server (issue 20).

Defence in depth behind one origin per user: whatever a page served by a student's server
does, it may load scripts, styles, images and fonts only from its own origin (and inline, which
JupyterLab and Voila need), connect (fetch, XHR, websockets) only to its own origin, submit forms
only there and be framed only by it. Jupyter Server sets its own policy on its handlers only;
Voila's and JupyterLab's static file handlers are plain Tornado handlers, so this is a Tornado
output transform that adds the policy to every response (a second policy: the browser enforces
both). It does not stop a student who replaces their own server (they run as themselves); the
separate origin does.
"""

from __future__ import annotations

from tornado.web import OutputTransform

#: Voila's templates load MathJax and Font Awesome from these two CDNs (when the class has the
#: internet); scripts from there can still connect nowhere but the server's own origin.
CDNS = "https://cdn.jsdelivr.net https://cdnjs.cloudflare.com"

POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' 'unsafe-eval' blob: {CDNS}",
        f"style-src 'self' 'unsafe-inline' {CDNS}",
        "img-src 'self' data: blob:",
        f"font-src 'self' data: {CDNS}",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob: data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class ContentSecurityPolicy(OutputTransform):
    """Adds :data:`POLICY` to each response."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        headers.add("Content-Security-Policy", POLICY)
        return status_code, headers, chunk


def _load_jupyter_server_extension(serverapp) -> None:
    serverapp.web_app.transforms.append(ContentSecurityPolicy)
    serverapp.log.info("s400lab: Content-Security-Policy on every response")


def _jupyter_server_extension_points():
    return [{"module": "s400lab_server_csp"}]
