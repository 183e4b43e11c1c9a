"""The hub's Redis client as rtdash makes it: no warning of the library's on stderr
(``rtdash hub`` prints one line per problem; a library's warning would be noise), and
its failures said in a screen's words."""

from __future__ import annotations

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
