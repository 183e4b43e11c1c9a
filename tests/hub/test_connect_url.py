"""The hub's Redis client as rtdash makes it: no warning of the library's on stderr
(``rtdash hub`` prints one line per problem; a library's warning would be noise)."""

from __future__ import annotations

import warnings

from rtdash.hub.connect import connector


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
