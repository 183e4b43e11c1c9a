"""What a connection needs before any request: credentials and the defaults a config
file falls back to. Apart from the client so that reading the settings does not import
httpx (the first frame does not need it)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

DEFAULT_BASE_URL = "https://api.infinitycloud.com/reports/v2"
#: a 50,000-call NDJSON body is about 20 MiB: room for that and more, not for a runaway
#: answer (``[connection] max_body_mb`` sets it)
DEFAULT_MAX_BODY_MB = 64


#: what a secret prints as
MASK = "**********"


class Secret:
    """A password, an API key, or a URL with one in it: ``repr`` and ``str`` show
    ``**********``, so no log line, traceback or repr of the settings carries it; only
    :meth:`get_secret_value` gives it (to the header or the connection that needs it)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{self}')"

    def __str__(self) -> str:
        return MASK if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)


def as_secret(value: Any) -> Any:
    """Text as a :class:`Secret`; anything else as it is (a secret already, or None)."""
    return Secret(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class Credentials:
    """Basic username + password (v2) or an API key (v2.1); secrets never print."""

    username: str | None = None
    password: Secret | None = None
    api_key: Secret | None = None

    def __post_init__(self) -> None:
        for name in ("password", "api_key"):
            object.__setattr__(self, name, as_secret(getattr(self, name)))

    @property
    def usable(self) -> bool:
        return bool(self.api_key) or bool(self.username and self.password)

    def headers(self) -> dict[str, str]:
        if self.api_key is not None:
            return {"Authorization": f"ApiKey {self.api_key.get_secret_value()}"}
        if self.username and self.password is not None:
            pair = f"{self.username}:{self.password.get_secret_value()}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}
        return {}
