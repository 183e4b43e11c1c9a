"""The :class:`Simulator`: a call-centre model behind a loopback Reports API server.

The model outlives the server: ``stop()`` then ``start(port=same)`` brings the same
centre back on the same port, which is how tests play "upstream down, then back".

Clock: with ``realtime=True`` the model's time follows real elapsed time × ``speed``
from the first ``start()`` (it keeps running while the server is stopped, as a real
centre would); ``advance()`` adds a jump on top. With ``realtime=False`` only
``advance()`` moves it, which is what tests use for determinism. Either way the model
catches up lazily, when a request (or ``now``) needs the current state.
"""

from __future__ import annotations

import math
import secrets
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from rtdash.sim.faults import FaultPlan
from rtdash.sim.model import CallCentreModel, Installation
from rtdash.sim.routes import Context, Principal, Response, error, match, serve
from rtdash.sim.server import SimHTTPServer
from rtdash.sim.stats import RequestCounter, parse_query

DEFAULT_START = datetime(2026, 5, 1, 9, 0, 0, tzinfo=UTC)

DEFAULT_INSTALLATIONS: tuple[Installation, ...] = (
    Installation(1234, "Northwind Contact Centre", "advanced"),
    Installation(5678, "Harbour Lettings", "basic"),
)

# The users of a local simulator. Their passwords and API keys are drawn afresh by each
# process that runs simulators: ``rtdash sim`` prints them, and ``rtdash --demo`` reads
# them from the simulator it starts, so none is written anywhere. (One draw a process,
# not a simulator: a client may ask several simulators of one process with one login.)
DEMO_USERNAME = "demo"
NOPII_USERNAME = "nopii"


def _drawn(prefix: str) -> str:
    return f"{prefix}-{secrets.token_urlsafe(12)}"


DEMO_PASSWORD, NOPII_PASSWORD = _drawn("pw"), _drawn("pw")
DEMO_API_KEY, NOPII_API_KEY = _drawn("key"), _drawn("key")


@dataclass
class SimConfig:
    """How big and how busy the simulated centre is, and how its clock runs.

    ``load`` is the target number of concurrent live calls per installation; ``agents``
    the number of PBX users per installation. ``field_renames`` renames keys in served
    ``pbxActiveCalls`` / ``pbxUserStatus`` rows, to prove a client's mapping override.
    """

    seed: int = 7
    agents: int = 20
    load: int = 30
    speed: float = 1.0
    start: datetime | None = None
    realtime: bool = True
    installations: list[Installation] | None = None
    field_renames: dict[str, str] = field(default_factory=dict)
    warm_up: float = 900

    def __post_init__(self) -> None:
        if self.agents < 0:
            raise ValueError("agents must be >= 0")
        if self.load < 0:
            raise ValueError("load must be >= 0")
        if not self.speed > 0:
            raise ValueError("speed must be > 0")
        if self.warm_up < 0:
            raise ValueError("warm_up must be >= 0")
        if self.start is not None:
            # a naive start is taken as UTC rather than the host's zone: runs must not
            # depend on where they happen
            start = self.start if self.start.tzinfo else self.start.replace(tzinfo=UTC)
            self.start = start.astimezone(UTC)
        if self.installations is not None:
            igrps = [i.igrp for i in self.installations]
            if not igrps:
                raise ValueError("at least one installation is needed")
            if len(set(igrps)) != len(igrps):
                raise ValueError("installation igrps must be unique")


class Simulator:
    """A running (or startable) simulated upstream. See the package docstring for use."""

    username = DEMO_USERNAME
    password = DEMO_PASSWORD
    nopii_username = NOPII_USERNAME
    nopii_password = NOPII_PASSWORD
    api_key = DEMO_API_KEY
    nopii_api_key = NOPII_API_KEY

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config if config is not None else SimConfig()
        cfg = self.config
        self.installations: list[Installation] = list(
            cfg.installations if cfg.installations is not None else DEFAULT_INSTALLATIONS
        )
        start = cfg.start if cfg.start is not None else DEFAULT_START
        self.model = CallCentreModel(
            self.installations,
            cfg.seed,
            cfg.agents,
            cfg.load,
            math.floor(start.timestamp()),
            cfg.warm_up,
        )
        self.faults = FaultPlan()
        #: requests received per Real Time route (served at ``GET /_sim/stats``)
        self.requests = RequestCounter([i.igrp for i in self.installations])
        self._lock = threading.RLock()
        self._server: SimHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self._real_base: float | None = None  # monotonic time of the first start()
        self._model_base = self.model.now
        self._context = Context(
            model=self.model,
            lock=self._lock,
            sync=self._sync,
            basic_users={
                (DEMO_USERNAME, self.password): Principal(DEMO_USERNAME, pii=True),
                (NOPII_USERNAME, self.nopii_password): Principal(NOPII_USERNAME, pii=False),
            },
            api_keys={
                self.api_key: Principal(DEMO_USERNAME, pii=True),
                self.nopii_api_key: Principal(NOPII_USERNAME, pii=False),
            },
            renames=dict(cfg.field_renames),
        )
        #: set to a callable (e.g. ``print``) before start() to log each request
        self.log: Callable[[str], None] | None = None

    # --- lifecycle ----------------------------------------------------------------------

    def start(self, port: int = 0) -> Simulator:
        """Serve on 127.0.0.1:``port`` (0 = ephemeral). A no-op while already running."""
        with self._lock:
            if self._server is not None:
                return self
            server = SimHTTPServer(
                port, self._context, self.faults, self.log, self.requests, self.stats
            )
            self._server = server
            self._port = int(server.server_address[1])
            if self._real_base is None:
                self._real_base = time.monotonic()
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"rtdash-sim:{self._port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection; the model is kept."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses ----------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (kept after stop, so a test can restart on the same one)."""
        if self._port is None:
            raise RuntimeError("the simulator has not been started")
        return self._port

    @property
    def url(self) -> str:
        """The base URL a client uses: ``http://127.0.0.1:PORT/reports/v2``."""
        return f"http://127.0.0.1:{self.port}/reports/v2"

    @property
    def url_v21(self) -> str:
        """The ``/reports/v2.1`` base URL (ApiKey auth only)."""
        return f"http://127.0.0.1:{self.port}/reports/v2.1"

    @property
    def igrp(self) -> int:
        return self.installations[0].igrp

    def serve_inprocess(self, path: str, query: str, authorization: str | None) -> Response:
        """Answer one GET as the HTTP server would, without a socket (and counted the
        same way): for benchmarks that run a simulated day faster than loopback HTTP
        allows. Faults are not applied."""
        matched = match(path)
        if matched is None:
            return error(404, "not found")
        version, igrp_raw, route = matched
        self.requests.count(route, igrp_raw)
        return serve(self._context, version, igrp_raw, route, query, authorization)

    # --- ground truth -------------------------------------------------------------------

    def stats(self, query: str = "") -> dict[str, object]:
        """What ``GET /_sim/stats`` answers: request counts per route and each
        installation's true call outcomes (see :mod:`rtdash.sim.stats` for the query)."""
        since, until, thresholds, short = parse_query(query)
        with self._lock:
            self._sync()
            now = self.model.now_s
            truth = {
                str(igrp): centre.truth.summary(since, until, thresholds, short)
                for igrp, centre in self.model.centres.items()
            }
            live = {str(igrp): len(centre.calls) for igrp, centre in self.model.centres.items()}
        out: dict[str, object] = {"now": now, "short_abandon": short}
        out.update(self.requests.snapshot())
        out["truth"] = truth
        out["live_calls"] = live
        return out

    # --- clock --------------------------------------------------------------------------

    def _sync(self) -> None:
        """Bring the model up to the realtime clock (call with the lock held)."""
        if self.config.realtime and self._real_base is not None:
            elapsed = (time.monotonic() - self._real_base) * self.config.speed
            self.model.advance_to(self._model_base + elapsed)

    def advance(self, seconds: float) -> None:
        """Move the model clock forward by ``seconds`` model seconds, now."""
        if seconds < 0:
            raise ValueError("the model clock cannot go backwards")
        with self._lock:
            self._sync()
            self._model_base += seconds
            self.model.advance(seconds)

    @property
    def now(self) -> datetime:
        """The model's current time (aware UTC)."""
        with self._lock:
            self._sync()
            return datetime.fromtimestamp(self.model.now, UTC)


#: a centre that looks like a good day: a few callers waiting, some agents free
DEMO_AGENTS = 28
DEMO_LOAD = 18


def demo_simulator(seed: int = 7) -> Simulator:
    """The simulator ``--demo`` runs: its clock starts at the real now, so times in state
    read true against the wall clock."""
    return Simulator(
        SimConfig(seed=seed, agents=DEMO_AGENTS, load=DEMO_LOAD, start=datetime.now(UTC))
    )


def run_standalone(port: int, seed: int, agents: int, load: int, speed: float) -> None:
    """Serve a simulator in the foreground until Ctrl-C (or SIGTERM), then exit cleanly.

    Its clock starts at the real now, so a dashboard pointed at it shows true ages.
    """
    config = SimConfig(seed=seed, agents=agents, load=load, speed=speed, start=datetime.now(UTC))
    sim = Simulator(config)
    sim.start(port=port)
    lines = [
        f"rtdash simulator listening on {sim.url}",
        f"  (ApiKey-only generation: {sim.url_v21})",
        "installations:",
        *(f"  {i.igrp}  {i.name} ({i.mode})" for i in sim.installations),
        "demo credentials (local simulator only):",
        f"  Basic user      {sim.username} / {sim.password}",
        f"  Basic, no PII   {sim.nopii_username} / {sim.nopii_password}",
        f"  API key         {sim.api_key}",
        f"seed {seed}, {agents} agents and ~{load} live calls per installation, speed {speed}x",
        "Ctrl-C to stop.",
    ]

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
        # Ctrl-C stops it whatever it was started from: a process started with SIGINT
        # ignored (a script's background job, some test runners' workers) inherits
        # that, and Python then installs no handler of its own for it
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        # the banner inside the try: a Ctrl-C sent as soon as it is read (a script that
        # waits for it) still stops the server's thread; raised before the try, it left
        # that thread serving and the process waiting on it for ever
        print("\n".join(lines), flush=True)
        while True:
            # short sleeps: a signal the kernel hands to a connection's thread only
            # sets a flag, which this thread sees when it next wakes
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        print("simulator stopped", flush=True)
