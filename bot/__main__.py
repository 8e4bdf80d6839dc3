"""Command line: `python -m bot [run|serve|socket]`, `python -m bot db upgrade`,
`python -m bot content check`."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from bot.config import WHERE_TO_GET, Config, ConfigError, DatabaseConfig, load_config
from bot.domain.content import DEFAULT_CONTENT_DIR, ContentError, check_content, load_library

EXIT_CONFIG = 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as problem:
        print(f"stretchbot: {problem}", file=sys.stderr)
        return EXIT_CONFIG


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stretchbot", description=__doc__)
    parser.set_defaults(handler=_run, mode="auto")
    commands = parser.add_subparsers(title="commands")
    for mode, summary in (
        (
            "run",
            "upgrade the database, then Socket Mode if SLACK_APP_TOKEN "
            "is set, else HTTP (the default)",
        ),
        ("serve", "upgrade the database, then serve HTTP on $PORT"),
        ("socket", "upgrade the database, then connect in Socket Mode"),
    ):
        commands.add_parser(mode, help=summary).set_defaults(handler=_run, mode=mode)
    db = commands.add_parser("db", help="database commands").add_subparsers(title="db commands")
    db.add_parser("upgrade", help="bring the schema up to date").set_defaults(handler=_db_upgrade)
    content = commands.add_parser("content", help="content commands").add_subparsers(
        title="content commands"
    )
    check = content.add_parser(
        "check", help="validate the exercises and tips, and their translations"
    )
    check.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_CONTENT_DIR,
        help="content folder (default: %(default)s)",
    )
    check.set_defaults(handler=_content_check)
    return parser


def _db_upgrade(_args: argparse.Namespace) -> int:
    _upgrade_or_exit(load_config(DatabaseConfig).database_url)
    print("stretchbot: database schema is up to date")
    return 0


def _content_check(args: argparse.Namespace) -> int:
    try:
        library = check_content(args.dir)
    except ContentError as problem:
        print(f"stretchbot: content is invalid:\n{problem}", file=sys.stderr)
        return 1
    print(f"stretchbot: content OK — {len(library.exercises)} exercises, {len(library.tips)} tips")
    return 0


def _run(args: argparse.Namespace) -> int:
    config = load_config(Config)
    _content_or_exit()
    from bot.bootstrap import build

    _upgrade_or_exit(config.database_url)
    socket_mode = args.mode == "socket" or (args.mode == "auto" and config.socket_mode)
    _tokens_or_exit(config, socket_mode)
    if socket_mode:
        return _run_socket_mode(build(config))
    from bot.server import GunicornServer

    GunicornServer(lambda: build(config), port=config.port, workers=config.web_concurrency).run()
    return 0


def _upgrade_or_exit(database_url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.migrate import upgrade

    try:
        upgrade(database_url)
    except SQLAlchemyError as error:
        shown = make_url(database_url).render_as_string(hide_password=True)
        raise ConfigError(
            f"cannot open the database at DATABASE_URL={shown} ({type(error).__name__}) — "
            "check that it is running and that the URL, user and password are right"
        ) from None


def _tokens_or_exit(config: Config, socket_mode: bool) -> None:
    """The settings each mode needs, and Slack's word on the tokens, before anything starts."""
    from bot.bootstrap import make_slack_client
    from bot.slack.tokens import app_token_refused, bot_token_refused

    if socket_mode and not config.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set — Socket Mode needs an app-level token")
    if not socket_mode and not config.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set — serving HTTP needs it to check that requests "
            f"come from Slack: {WHERE_TO_GET['SLACK_SIGNING_SECRET']}"
        )
    if socket_mode:
        refused = app_token_refused(make_slack_client(config, None), config.slack_app_token)
        if refused:
            raise ConfigError(
                f"Slack refused SLACK_APP_TOKEN ({refused}): {WHERE_TO_GET['SLACK_APP_TOKEN']}"
            )
    if not config.distribution:
        refused = bot_token_refused(make_slack_client(config, config.slack_bot_token))
        if refused:
            raise ConfigError(
                f"Slack refused SLACK_BOT_TOKEN ({refused}): {WHERE_TO_GET['SLACK_BOT_TOKEN']}; "
                "reinstall the app if it was removed"
            )


def _content_or_exit() -> None:
    try:
        load_library()
    except ContentError as problem:
        raise ConfigError(f"content is invalid: {problem}") from None


def _run_socket_mode(container) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(container.bolt_app, container.config.slack_app_token)

    def stop(_signum, _frame) -> None:
        handler.close()
        container.close()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    container.start_background()
    handler.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
