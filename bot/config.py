"""Settings read from the environment (and an optional `.env` file).

A missing or malformed setting becomes one `ConfigError` line that names the variable and says
where to get it; `python -m bot` prints that line and exits with status 2.
"""

from __future__ import annotations

from datetime import time
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.preferences import Preferences, parse_days
from bot.domain.work_pattern import WorkPattern

SLACK_APPS_PAGE = "https://api.slack.com/apps"

# Where a newcomer finds each setting; used to turn a validation error into one helpful line.
WHERE_TO_GET = {
    "SLACK_BOT_TOKEN": f"{SLACK_APPS_PAGE} → your app → OAuth & Permissions → Bot User OAuth Token "
    "(starts with xoxb-)",
    "SLACK_SIGNING_SECRET": f"{SLACK_APPS_PAGE} → your app → Basic Information → Signing Secret",
    "SLACK_APP_TOKEN": f"{SLACK_APPS_PAGE} → your app → Basic Information → App-Level Tokens "
    "(scope connections:write, starts with xapp-)",
    "DATABASE_URL": "e.g. sqlite:///stretchbot.db or postgresql://user:pass@host/db",
    "SLACK_CLIENT_ID": f"{SLACK_APPS_PAGE} → your app → Basic Information → App Credentials",
    "SLACK_CLIENT_SECRET": f"{SLACK_APPS_PAGE} → your app → Basic Information → App Credentials",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for a human."""


class DatabaseConfig(BaseSettings):
    """Just the database: all that `python -m bot db upgrade` needs."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = "sqlite:///stretchbot.db"

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        return normalise_database_url(value)


class Config(DatabaseConfig):
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    # Distribution mode ("Add to Slack" for any workspace) when both are set.
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_redirect_uri: str = ""
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(default=3000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1)  # gunicorn workers for `python -m bot serve`
    log_level: str = "INFO"

    # Workspace defaults for new people (each person can change theirs in Settings).
    default_work_days: str = "mon,tue,wed,thu,fri"
    default_work_start: time = time(9, 0)
    default_work_end: time = time(17, 0)
    default_interval_minutes: Literal[30, 45, 60, 90, 120] = 60
    daily_nudge_cap: int = Field(default=8, ge=1, le=48)
    tick_seconds: float = Field(default=5.0, gt=0)
    workspace_sends_per_minute: int = Field(default=300, ge=1)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str) -> str:
        if value and not value.startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str) -> str:
        if value and not value.startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("log_level")
    @classmethod
    def _log_level_name(cls, value: str) -> str:
        name = value.upper()
        if name not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return name

    @field_validator("default_work_days")
    @classmethod
    def _work_days(cls, value: str) -> str:
        parse_days(value)
        return value

    @model_validator(mode="after")
    def _defaults_make_a_schedule(self) -> Config:
        try:
            self.default_preferences().schedule("UTC", 0)
        except ValueError as problem:
            raise ValueError(f"DEFAULT_WORK_START: defaults are unusable: {problem}") from None
        return self

    def default_preferences(self) -> Preferences:
        """What a new person starts with; everyone can change theirs in Settings."""
        return Preferences(
            work_pattern=WorkPattern.every(
                parse_days(self.default_work_days), self.default_work_start, self.default_work_end
            ),
            interval_minutes=self.default_interval_minutes,
            place="office",
        )

    @model_validator(mode="after")
    def _a_way_to_get_tokens(self) -> Config:
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_id else "SLACK_CLIENT_ID"
            raise ValueError(f"{missing}: is needed too — distribution mode needs both")
        if not self.distribution and not self.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN: is not set")
        return self

    @property
    def distribution(self) -> bool:
        """Installable by any workspace through OAuth, with per-workspace tokens."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @model_validator(mode="after")
    def _http_mode_needs_signing_secret(self) -> Config:
        if not self.socket_mode and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET: is required unless SLACK_APP_TOKEN is set")
        return self

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)


def normalise_database_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out and pick the psycopg 3 driver for PostgreSQL."""
    if not url.startswith(("sqlite:", "postgres://", "postgresql://", "postgresql+")):
        raise ValueError("must start with sqlite:///, postgres:// or postgresql://")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


S = TypeVar("S", bound=DatabaseConfig)


def load_config(kind: type[S] = Config, **overrides: object) -> S:  # type: ignore[assignment]
    """Read the configuration, turning the first problem into a one-line `ConfigError`."""
    try:
        return kind(**overrides)
    except ValidationError as error:
        raise ConfigError(_first_problem(error)) from None


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    location = problem["loc"]
    message = problem["msg"].removeprefix("Value error, ")
    if location:
        variable = str(location[0]).upper()
    else:  # a model-level rule; its message starts with the variable name
        variable, _, message = message.partition(": ")
    if problem["type"] == "missing":
        message = "is not set"
    hint = WHERE_TO_GET.get(variable)
    return f"{variable} {message}" + (f" — get it from {hint}" if hint else "")
