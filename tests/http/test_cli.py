"""`python -m bot` as a newcomer runs it: real processes, real exit codes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.content import DEFAULT_CONTENT_DIR
from tests.support.serving import serving, serving_env
from tests.support.signed_requests import SIGNING_SECRET, SlackSender
from tests.support.wsgi_server import free_port

ROOT = Path(__file__).resolve().parents[2]  # the repository


def run_bot(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


def test_without_tokens_prints_one_hint_and_exits_2(tmp_path):
    result = run_bot(cwd=tmp_path)  # no .env there
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_BOT_TOKEN is not set" in lines[0]
    assert "api.slack.com/apps" in lines[0]


def test_malformed_setting_exits_2(tmp_path):
    result = run_bot(
        env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "eighty"},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path):
    result = run_bot(
        "db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").exists()


def test_content_check_passes_on_the_real_content():
    result = run_bot("content", "check")
    assert result.returncode == 0, result.stderr
    assert "6 exercises" in result.stdout


def test_content_check_names_the_broken_file_and_field(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    broken = content / "exercises" / "scapular-retraction.yaml"
    broken.write_text(broken.read_text().replace("hold_seconds:", "hold_for:"))
    result = run_bot("content", "check", "--dir", str(content))
    assert result.returncode == 1
    assert "exercises/scapular-retraction.yaml" in result.stderr
    assert "hold_for" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_check_names_the_language_and_field_of_a_translation(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    tip = content / "tips" / "move-more.yaml"
    # The German translation loses its last point: three points where English has four.
    text = tip.read_text(encoding="utf-8")
    last_german_point = next(line for line in text.splitlines() if "Schwimmen gilt" in line)
    tip.write_text(text.replace(last_german_point + "\n", ""), encoding="utf-8")
    result = run_bot("content", "check", "--dir", str(content))
    assert result.returncode == 1
    assert "tips/move-more.yaml: translations.de.points: 3 items, English has 4" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_serves_http_through_gunicorn_and_stops_on_sigterm(tmp_path, fake_slack, workers):
    env = serving_env(fake_slack.base_url, tmp_path, WEB_CONCURRENCY=str(workers))
    with serving(env, tmp_path) as bot:
        sender = SlackSender(bot.base_url, SIGNING_SECRET, fake_slack.response_url("cli"))
        reply = sender.command("help")
        assert reply.status == 200
        assert "/stretch list" in reply.json()["text"]
        forged = sender.post(
            "command=/stretch&text=", "application/x-www-form-urlencoded", signature="v0=forged"
        )
        assert forged.status == 401
    assert bot.process.returncode == 0, bot.output
    assert "Traceback" not in bot.output
    assert bot.output.count("Booting worker") == workers, bot.output


def one_line_exit_2(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    return line


def test_a_bot_token_slack_refuses_is_one_line_naming_it(tmp_path, fake_slack):
    fake_slack.set_error("auth.test", "invalid_auth")
    line = one_line_exit_2(
        run_bot("serve", env=serving_env(fake_slack.base_url, tmp_path), cwd=tmp_path)
    )
    assert "SLACK_BOT_TOKEN" in line and "invalid_auth" in line and "xoxb-test" not in line


def test_an_app_token_slack_refuses_is_one_line_naming_it(tmp_path, fake_slack):
    fake_slack.set_error("apps.connections.open", "invalid_auth")
    env = serving_env(fake_slack.base_url, tmp_path, SLACK_APP_TOKEN="xapp-wrong")
    line = one_line_exit_2(run_bot("socket", env=env, cwd=tmp_path))
    assert "SLACK_APP_TOKEN" in line and "xapp-wrong" not in line


def test_an_unreachable_database_is_one_line_without_its_password(tmp_path, fake_slack):
    url = f"postgresql://stretch:s3cret-pw@127.0.0.1:{free_port()}/nowhere"
    line = one_line_exit_2(
        run_bot(
            "serve", env=serving_env(fake_slack.base_url, tmp_path, DATABASE_URL=url), cwd=tmp_path
        )
    )
    assert "DATABASE_URL" in line and "s3cret-pw" not in line and "127.0.0.1" in line


def test_serving_http_without_a_signing_secret_is_one_line(tmp_path, fake_slack):
    env = serving_env(
        fake_slack.base_url, tmp_path, SLACK_APP_TOKEN="xapp-1", SLACK_SIGNING_SECRET=""
    )
    line = one_line_exit_2(run_bot("serve", env=env, cwd=tmp_path))
    assert "SLACK_SIGNING_SECRET" in line
