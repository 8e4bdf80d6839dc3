import pytest

from bot.config import Config, ConfigError, DatabaseConfig, load_config

TOKENS = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"}


def load(**values: object) -> Config:
    return load_config(Config, _env_file=None, **values)


def test_defaults():
    config = load(**TOKENS)
    assert config.database_url == "sqlite:///stretchbot.db"
    assert config.port == 3000
    assert config.web_concurrency == 1
    assert config.slack_api_url == "https://slack.com/api/"
    assert not config.socket_mode


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgresql://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_from_hosting_platforms(given, expected):
    assert load(**TOKENS, database_url=given).database_url == expected


def test_api_url_gets_a_trailing_slash():
    assert load(**TOKENS, slack_api_url="http://127.0.0.1:9/api").slack_api_url == (
        "http://127.0.0.1:9/api/"
    )


def test_missing_bot_token_names_variable_and_where_to_get_it(monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError) as problem:
        load(slack_signing_secret="s")
    message = str(problem.value)
    assert message.startswith("SLACK_BOT_TOKEN is not set")
    assert "OAuth & Permissions" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"slack_bot_token": "xoxp-user"}, "SLACK_BOT_TOKEN must start with xoxb-"),
        ({**TOKENS, "slack_app_token": "nope"}, "SLACK_APP_TOKEN must start with xapp-"),
        ({**TOKENS, "database_url": "mysql://x"}, "DATABASE_URL must start with"),
        ({**TOKENS, "port": "http"}, "PORT "),
        ({**TOKENS, "web_concurrency": "two"}, "WEB_CONCURRENCY Input should be a valid integer"),
        ({**TOKENS, "web_concurrency": "0"}, "WEB_CONCURRENCY Input should be greater than"),
        ({**TOKENS, "log_level": "loud"}, "LOG_LEVEL must be one of"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN"),
    ],
)
def test_malformed_settings_give_one_line(values, variable):
    with pytest.raises(ConfigError) as problem:
        load(**values)
    assert str(problem.value).startswith(variable)
    assert "\n" not in str(problem.value)


def test_socket_mode_needs_no_signing_secret():
    config = load(slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert config.socket_mode


def test_database_settings_need_no_slack_tokens(monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    config = load_config(DatabaseConfig, _env_file=None, database_url="postgres://h/db")
    assert config.database_url == "postgresql+psycopg://h/db"
