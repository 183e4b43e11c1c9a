"""The hub's Redis client as rtdash makes it: no warning of the library's on stderr
(``rtdash hub`` prints one line per problem; a library's warning would be noise), and
its failures said in a screen's words."""

from __future__ import annotations

import asyncio
import warnings

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from rtdash.hub.connect import connector, unreachable


async def test_the_client_is_made_and_closed_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # redis-py 8.2 warns of a synchronous Retry
        client = connector("redis://127.0.0.1:1/0")()
        try:
            await client.ping()
        except Exception as exc:  # nothing listens there: the failure is expected
            assert "127.0.0.1:1" in str(exc)
        else:
            raise AssertionError("something answered on port 1")
        finally:
            await client.aclose()


def test_a_connection_redis_closes_is_said_in_a_screens_words() -> None:
    """redis-py's "Connection closed by server." when Redis goes mid-session: said as
    lost, with its host and port."""
    client = Redis.from_url("redis://127.0.0.1:6399/0")
    dropped = RedisConnectionError("Connection closed by server.")
    assert unreachable(client, dropped, lost=True, subject="Redis") == (
        "lost Redis at 127.0.0.1:6399 (connection closed by the server)"
    )
    assert unreachable(client, dropped, lost=True) == (
        "lost the hub at 127.0.0.1:6399 (connection closed by the server)"
    )


def test_a_closed_connection_is_said_as_lost_whoever_held_it() -> None:
    """A standby's open connection, or a viewer's, that Redis closes as it stops had
    been made: "lost", never "cannot connect … (connection closed by the server)",
    which read as a connection refused; a refused one is still "cannot connect"."""
    client = Redis.from_url("redis://127.0.0.1:6399/0")
    closed = RedisConnectionError("Connection closed by server.")
    assert unreachable(client, closed, lost=False) == (
        "lost the hub at 127.0.0.1:6399 (connection closed by the server)"
    )
    refused = RedisConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")
    assert unreachable(client, refused, lost=False) == (
        "cannot connect to 127.0.0.1:6399 (connection refused)"
    )


async def test_a_standby_whose_connection_redis_closes_says_it_lost_redis() -> None:
    """The standby asks for the lease on its open connection as Redis stops: it says
    what a leader says then (the case behind a hub-faults test that failed once)."""
    from datetime import UTC, datetime

    from rtdash.sim import SimConfig, Simulator
    from tests.hub.helpers import publisher

    sim = Simulator(SimConfig(seed=7, agents=4, load=4, start=datetime.now(UTC))).start()
    try:
        hub = publisher("redis://127.0.0.1:6399/0", "t-standby", sim, holder="hub-b")
    finally:
        sim.stop()  # never asked: the hub does not lead
    said: list[str] = []
    hub._on_role = lambda role, why: said.append(why)

    async def closed() -> bool:
        hub.stop()  # one turn of the loop is enough
        raise RedisConnectionError("Connection closed by server.")

    hub.lease.acquire = closed  # type: ignore[method-assign]
    hub._sleep = lambda seconds: asyncio.sleep(0)  # type: ignore[method-assign]
    await hub.run()
    assert said == ["lost Redis at 127.0.0.1:6399 (connection closed by the server)"]
