"""Start-up work the dashboard will need, begun before Textual is imported, and the
garbage collector held back until the first data is on screen.

Loading the CA bundle into an SSL context takes 40-100 ms, nearly all of it in OpenSSL
with the GIL released. httpx does it when a client is made, which is after the imports,
on the path to the first request. Begun here on a thread, it overlaps the half second
the imports take, and the client is handed the finished context.

Starting the dashboard makes a few hundred thousand objects (modules, classes, the
widget tree and its styles) and frees almost none of them, yet the cyclic
garbage collector, counting allocations, ran about 280 times before the first data was
drawn, walking the same live objects again and again: 100-160 ms of a ~1.2 s start
(measured at the medium load, 2 cores). So it is paused for start-up
(:func:`pause_collection`), what the imports made is frozen out of every later
collection (:func:`freeze_imports`), and collection resumes once the first data is on
screen (:func:`resume_collection`): the start-up garbage (about 10,000 objects) goes in
the first collection after that, about 40 ms, with the data already drawn. Peak memory
is about the same (+0.6 MB at the large load).

Kept free of httpx and Textual so starting it costs nothing.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_lock = threading.Lock()
_thread: threading.Thread | None = None
_context: ssl.SSLContext | None = None
#: the collector was turned off by :func:`pause_collection` and not turned on since
_collection_paused = False


def start_tls_context(*, verifying: bool = True) -> None:
    """Begin building the context on a daemon thread (once).

    ``verifying=False``: no installation is reached over https (a simulator, a proxy on
    this machine), so no CA bundle is loaded at all; the context made instead trusts
    nothing, and an https request through it would fail rather than go unverified.
    """
    global _thread, _context
    with _lock:
        if _thread is not None or _context is not None:
            return
        if not verifying:
            import ssl

            _context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, trusting no CA
            return
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
    import ssl  # here: every command imports this module, and most never need TLS

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


def pause_collection() -> None:
    """Turn the cyclic garbage collector off for start-up (if it is on at all).

    Reference counting still frees everything that is not in a cycle; only the
    collector's search for cycles waits. The dashboard resumes it once the first data
    is on screen, or a few seconds in at the latest (``RtdashApp``), and
    :func:`resume_collection` on the way out makes sure it never stays off.
    """
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def freeze_imports() -> None:
    """Move every object there is now into the collector's permanent generation
    (``gc.freeze()``), to be called once the imports are done: modules, classes and
    settings live for the whole run, and no later collection walks them again. The
    few import-time cycles that were already garbage stay with them."""
    gc.freeze()


#: Python's allocations between two young collections, and the most rtdash sets
YOUNG_DEFAULT = 700
YOUNG_MOST = 20_000


def collect_for(calls: int) -> None:
    """Young collections spaced by the centre's size: one every ``calls // 2``
    allocations, between Python's 700 and :data:`YOUNG_MOST`. A big centre's poll
    allocates objects in proportion to its rows (the rows read, a snapshot's lists and
    tuples), so at 700 several young collections ran in every poll, each walking that
    poll's big lists and every row they hold, only to find no cycle. A small centre
    keeps Python's spacing: its garbage is freed as soon as before."""
    young = min(YOUNG_MOST, max(YOUNG_DEFAULT, calls // 2))
    first, middle, old = gc.get_threshold()
    if young != first:
        gc.set_threshold(young, middle, old)


def collection_paused() -> bool:
    return _collection_paused


def resume_collection() -> None:
    """Turn the collector back on if :func:`pause_collection` turned it off; safe to
    call any number of times."""
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.enable()


def skip_httpx_cli() -> None:
    """Leave out httpx's command-line client when httpx is imported.

    ``import httpx`` also imports ``httpx._main``, its ``httpx`` command, and with it
    click, pygments and rich's progress and syntax modules: about a third of httpx's
    import time, on every start, for a command rtdash never runs. httpx falls back to
    a stub ``main`` when that module cannot be imported, which a ``None`` entry in
    ``sys.modules`` makes so. Nothing is changed once httpx is imported.
    """
    if "httpx" not in sys.modules:
        # why the type: ignore below: None in sys.modules is how an import is refused
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def warm_phone_numbers() -> None:
    """Import :mod:`phonenumbers` and load a region's metadata on a daemon thread.

    The first row with a caller's number needs both, just before the first data is
    drawn; begun when the dashboard mounts, most of it happens while the first request
    is on the network instead of on the path from the answer to the screen."""

    def warm() -> None:
        from rtdash.core.phone import format_international

        format_international("+447700900123")  # a reserved drama number: loads GB

    threading.Thread(target=warm, name="rtdash-phone", daemon=True).start()
