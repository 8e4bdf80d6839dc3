"""What goes in and out of the fake Slack: a request as the HTTP server hands it over, the reply
it sends back, and the records kept for assertions."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

Params = dict[str, Any]
Body = dict[str, Any]

RESPONSE_URL = "response_url"
# Uploads to the URL that files.getUploadURLExternal hands out are recorded as this method.
FILE_UPLOAD = "file_upload"
"""The method name under which posts to a response_url are recorded."""


@dataclass(frozen=True)
class Request:
    """One call: the Web API method (or RESPONSE_URL), its parameters, the bearer token."""

    method: str
    params: Params
    token: str | None
    path: str


@dataclass(frozen=True)
class Reply:
    body: Body
    status: int = 200
    retry_after: int | None = None


@dataclass(frozen=True)
class Call:
    """One request the fake answered: its parameters (JSON fields decoded) and the answer."""

    method: str
    params: Params
    token: str | None
    status: int = 200
    response: Body = field(default_factory=dict)
    path: str = ""

    @classmethod
    def of(cls, request: Request, reply: Reply) -> Call:
        return cls(
            request.method, request.params, request.token, reply.status, reply.body, request.path
        )

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass(frozen=True)
class Rejection:
    """A message or view refused for breaking Block Kit limits."""

    method: str
    errors: list[str]
    params: Params


def ok(**fields: Any) -> Body:
    return {"ok": True, **fields}


def error(code: str, **fields: Any) -> Body:
    return {"ok": False, "error": code, **fields}


def status_reply(status: int, retry_after: int) -> Reply:
    """An HTTP error as Slack answers it: 429 with Retry-After, or a 5xx."""
    if status == 429:
        return Reply(error("ratelimited"), 429, retry_after)
    return Reply(error(HTTPStatus(status).phrase.lower().replace(" ", "_")), status)
