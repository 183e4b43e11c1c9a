"""The request URLs the client builds without httpx (rtdash/api/request_url.py) are
byte for byte what httpx builds: the request target, the ``Host`` and the URL's text,
for the base URLs read here and for those handed on to httpx; and the proxy check
that skips ``urllib.request`` agrees with it."""

from __future__ import annotations

import os
import urllib.request

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtdash.api import request_url as module
from rtdash.api.request_url import origin, request_url
from rtdash.api.transport import proxy_in_environment

#: read here, without httpx
PLAIN = [
    "http://127.0.0.1:8080/igrps/1/pbxActiveCalls",
    "http://LOCALHOST:80/igrps/2/pbxUserStatus",
    "https://api.example.com:443/reports/v2/igrps/3/activeCall",
    "https://Api.Example.COM/a-b/c_d/~e/igrps/4/x",
    "HTTPS://api.example.com:8443/v1.2/igrps/5/x",
    "http://10.0.0.1:08080/x",
    "http://h:0/x",
    "https://h:65535/",
    "https://h:80/x",
    "http://h:443/x",
    "http://h/",
    "http://h",
    "http://a.b-c.d/x/y/",
]
#: handed to httpx
OTHERS = [
    "http://[::1]:8080/x",
    "http://user@h/x",  # userinfo (a name only: no password is written in the tests)
    "http://bücher.example/x",
    "http://h/a/../b",
    "http://h/./b",
    "http://h//b",
    "http://h/%41",
    "http://h/a b",
    "http://h/x?y=1",
    "http://h/x#top",
    "http://h:99999/x",
    "http://h:/x",
    "ftp://h/x",
    " http://h/x",
    "http://h/.well-known",
    "http://-h/x",
]
PARAMS = [
    [],
    [("tz", "Europe/London")],
    [("tz", "America/Argentina/Buenos_Aires"), ("sort[]", "stateStartDatetime-desc")],
    [("tz", "UTC"), ("excludePiiData", "1")],
    [("srcPhoneNumber", "+44 20 7946 0999")],
    [("callRef", "a&b=c/d?é#%41+~")],
]


def as_httpx(url: str, params: list[tuple[str, str]]) -> tuple[bytes, bytes, str]:
    built = httpx.URL(url, params=params)
    return built.raw_path, built.netloc, str(built)


def as_ours(url: str, params: list[tuple[str, str]]) -> tuple[bytes, bytes, str]:
    built = request_url(url, params)
    return built.raw_path, built.netloc, str(built)


@pytest.mark.parametrize("url", PLAIN + OTHERS)
@pytest.mark.parametrize("params", PARAMS)
def test_a_url_is_what_httpx_makes_of_it(url: str, params: list[tuple[str, str]]) -> None:
    assert as_ours(url, params) == as_httpx(url, params)
    assert request_url(url, params).for_httpx() == httpx.URL(url, params=params)


@pytest.mark.parametrize("url", PLAIN + OTHERS)
def test_an_origin_is_what_httpx_reads(url: str) -> None:
    parsed = httpx.URL(url)
    assert origin(url) == module.Origin(parsed.scheme, parsed.host, parsed.port)


def test_only_the_plain_shapes_are_read_without_httpx() -> None:
    """The comparisons above can fail either way: each list is read where it says."""
    assert [url for url in PLAIN if module._plain(url) is None] == []
    assert [url for url in OTHERS if module._plain(url) is not None] == []


def test_a_url_httpx_refuses_is_refused_with_its_words() -> None:
    with pytest.raises(httpx.InvalidURL, match="Invalid IPv4 address"):
        request_url("http://1.2.3.999/x", [])
    with pytest.raises(httpx.InvalidURL, match="Invalid IPv4 address"):
        origin("http://127.0.0.01:8080")


_label = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True)
_host = st.one_of(
    st.lists(_label, min_size=1, max_size=4).map(".".join),
    st.tuples(*[st.integers(0, 300)] * 4).map(lambda parts: ".".join(map(str, parts))),
)
_segment = st.from_regex(r"[A-Za-z0-9._~%!$&'()*+,;=:@ -]{0,8}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=_host,
    port=st.one_of(st.none(), st.integers(0, 70000)),
    path=st.lists(_segment, max_size=4).map(lambda parts: "".join("/" + p for p in parts)),
    params=st.lists(st.tuples(st.text(max_size=6), st.text(max_size=12)), max_size=3),
)
def test_any_address_is_what_httpx_makes_of_it(
    scheme: str, host: str, port: int | None, path: str, params: list[tuple[str, str]]
) -> None:
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    try:
        expected: object = as_httpx(url, params)
    except httpx.InvalidURL as exc:
        expected = str(exc)
    try:
        got: object = as_ours(url, params)
    except httpx.InvalidURL as exc:
        got = str(exc)
    assert got == expected


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"HTTP_PROXY": "http://proxy.invalid:3128"},
        {"https_proxy": "http://proxy.invalid:3128"},
        {"ALL_PROXY": "socks5://proxy.invalid:1080"},
        {"NO_PROXY": "localhost"},
        {"HTTP_PROXY": ""},
        {"REQUEST_METHOD": "GET", "HTTP_PROXY": "http://proxy.invalid:3128"},
    ],
)
def test_the_proxy_check_agrees_with_the_standard_library(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name == "REQUEST_METHOD":
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    proxies = urllib.request.getproxies()
    expected = any(proxies.get(scheme) for scheme in ("http", "https", "all"))
    assert proxy_in_environment() is expected
