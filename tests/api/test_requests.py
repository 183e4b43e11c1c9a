"""What goes on the wire: exact URLs, query encoding and auth headers."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from rtdash.api.client import Credentials
from tests.support import a_password

if TYPE_CHECKING:
    from tests.api.conftest import MakeClient, Upstream

BASE = "https://api.infinitycloud.com/reports/v2/igrps/1234"


def _server_side_query(url: str) -> list[tuple[str, str]]:
    """How a server (or the simulator) decodes the query string it receives."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


async def test_lookup_by_number_sends_plus_as_percent_2b(
    make_client: MakeClient, upstream: Upstream
) -> None:
    await make_client(upstream).caller_details(src_number="+447700900123")
    url = str(upstream.last.url)
    assert url == f"{BASE}/activeCall?srcPhoneNumber=%2B447700900123"
    # a literal "+" would arrive as a space: the server must see the plus
    assert _server_side_query(url) == [("srcPhoneNumber", "+447700900123")]


async def test_lookup_by_call_ref(make_client: MakeClient, upstream: Upstream) -> None:
    await make_client(upstream).caller_details(call_ref="c-0001")
    assert str(upstream.last.url) == f"{BASE}/activeCall?callRef=c-0001"
    assert upstream.last.method == "GET"


async def test_user_status_sort_brackets_are_encoded_and_decode_to_sort_array(
    make_client: MakeClient, upstream: Upstream
) -> None:
    await make_client(upstream, tz="Europe/London").user_status()
    url = str(upstream.last.url)
    assert url == (f"{BASE}/pbxUserStatus?tz=Europe%2FLondon&sort%5B%5D=stateStartDatetime-asc")
    assert _server_side_query(url) == [
        ("tz", "Europe/London"),
        ("sort[]", "stateStartDatetime-asc"),
    ]


async def test_user_status_descending(make_client: MakeClient, upstream: Upstream) -> None:
    await make_client(upstream).user_status(descending=True)
    assert ("sort[]", "stateStartDatetime-desc") in _server_side_query(str(upstream.last.url))


async def test_active_calls_query_with_and_without_exclude_pii(
    make_client: MakeClient, upstream: Upstream
) -> None:
    client = make_client(upstream)
    await client.active_calls()
    assert str(upstream.last.url) == f"{BASE}/pbxActiveCalls?tz=UTC"
    await client.active_calls(exclude_pii=True)
    assert str(upstream.last.url) == f"{BASE}/pbxActiveCalls?tz=UTC&excludePiiData=1"


async def test_base_url_trailing_slash_and_v21(make_client: MakeClient, upstream: Upstream) -> None:
    client = make_client(upstream, base_url="https://api.infinitycloud.com/reports/v2.1/")
    await client.active_calls()
    assert str(upstream.last.url).startswith(
        "https://api.infinitycloud.com/reports/v2.1/igrps/1234/pbxActiveCalls?"
    )


async def test_basic_auth_header(make_client: MakeClient, upstream: Upstream) -> None:
    # made per run (no password is written in the tests), with a colon, a space and a
    # letter beyond ASCII in it
    word = a_password("pa:ss wörd")
    creds = Credentials(username="sup@example.com", password=word)
    await make_client(upstream, credentials=creds).active_calls()
    scheme, _, token = upstream.last.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(token).decode() == f"sup@example.com:{word}"


async def test_api_key_header_uses_the_apikey_word(
    make_client: MakeClient, upstream: Upstream
) -> None:
    key = a_password("key")
    creds = Credentials(api_key=key)
    await make_client(upstream, credentials=creds).active_calls()
    assert upstream.last.headers["authorization"] == f"ApiKey {key}"


async def test_api_key_wins_over_basic(make_client: MakeClient, upstream: Upstream) -> None:
    key = a_password("key")
    creds = Credentials(username="u", password=a_password(), api_key=key)
    await make_client(upstream, credentials=creds).active_calls()
    assert upstream.last.headers["authorization"] == f"ApiKey {key}"


async def test_no_credentials_no_header(make_client: MakeClient, upstream: Upstream) -> None:
    creds = Credentials(username="u")
    assert not creds.usable
    await make_client(upstream, credentials=creds).active_calls()
    assert "authorization" not in upstream.last.headers


def test_credentials_usable() -> None:
    assert Credentials(username="u", password=a_password()).usable
    assert Credentials(api_key=a_password("key")).usable
    assert not Credentials().usable
    assert not Credentials(password=a_password()).usable


async def test_credentials_never_in_the_url(
    make_client: MakeClient, upstream: Upstream, secrets: tuple[str, str]
) -> None:
    await make_client(upstream).active_calls()
    assert not any(secret in str(upstream.last.url) for secret in secrets)
    assert upstream.last.url.userinfo == b""
