"""The framework's floor: a bare Bolt app that only acks, as a gunicorn WSGI module.

Served like the real app (gunicorn's asgi worker, whole requests handed to eight threads by
`bot.server.asgi_app`, access log on stdout):

    SLACK_SIGNING_SECRET=… SLACK_API_URL=http://127.0.0.1:PORT/api/ \\
    python -m gunicorn --worker-class asgi --asgi-lifespan off --workers 1 --access-logfile - \\
        --bind 127.0.0.1:3001 bench.bare_bolt_app:served

Besides the `/stretch` command it acks the Done buttons (an exercise card's and a challenge day's,
for `bench.storm`), so a Done click has a like-for-like floor
(without a listener Bolt would answer 404). Bolt authorizes every request with the token's
`auth.test`, called once and cached, so it needs a Web API to ask: `SLACK_API_URL`.
"""

from __future__ import annotations

import os

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.server import THREADS, asgi_app

app = App(
    client=WebClient(
        token=os.environ.get("SLACK_BOT_TOKEN", "xoxb-bare"),
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    ),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    token_verification_enabled=False,
)


@app.command("/stretch")
def ack_command(ack: Ack) -> None:
    ack()


@app.action("exercise_done")
@app.action("challenge_done")
def ack_done(ack: Ack) -> None:
    ack()


served = asgi_app(SlackRequestHandler(app, path="/slack/events"), THREADS)
