"""Start-up work the dashboard will need, begun before Textual is imported.

Loading the CA bundle into an SSL context takes 40-100 ms, nearly all of it in OpenSSL
with the GIL released. httpx does it when a client is made, which is after the imports,
on the path to the first request. Begun here on a thread, it overlaps the half second
the imports take, and the client is handed the finished context.

Kept free of httpx and Textual so starting it costs nothing.
"""

from __future__ import annotations

import os
import ssl
import threading

_lock = threading.Lock()
_thread: threading.Thread | None = None
_context: ssl.SSLContext | None = None


def start_tls_context() -> None:
    """Begin building the context on a daemon thread (once)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_build, name="rtdash-tls", daemon=True)
            _thread.start()


def tls_context() -> ssl.SSLContext | None:
    """The context, waiting for the thread if it is still loading; None if it was never
    started or failed, so httpx builds its own as before (and reports any problem)."""
    thread = _thread
    if thread is not None:
        thread.join()
    return _context


def _build() -> None:
    """What ``httpx.create_ssl_context()`` does by default (httpx 0.28): the file or
    folder named by ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, else certifi's bundle."""
    global _context
    try:
        if os.environ.get("SSL_CERT_FILE"):
            context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
        elif os.environ.get("SSL_CERT_DIR"):
            context = ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
        else:
            import certifi

            context = ssl.create_default_context(cafile=certifi.where())
    except Exception:  # httpx will try again on the main thread and say what is wrong
        return
    _context = context
