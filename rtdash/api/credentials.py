"""What a connection needs before any request: credentials and the defaults a config
file falls back to. Apart from the client so that reading the settings does not import
httpx (the first frame does not need it)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from pydantic import SecretStr

DEFAULT_BASE_URL = "https://api.infinitycloud.com/reports/v2"
#: a 50,000-call NDJSON body is about 20 MiB: room for that and more, not for a runaway
#: answer (``[connection] max_body_mb`` sets it)
DEFAULT_MAX_BODY_MB = 64


@dataclass(frozen=True, slots=True)
class Credentials:
    """Basic username + password (v2) or an API key (v2.1); secrets never print."""

    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None

    def __post_init__(self) -> None:
        for name in ("password", "api_key"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, SecretStr(value))

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
