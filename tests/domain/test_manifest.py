"""The manifest must be accepted by Slack: validate it against Slack's own JSON schema."""

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]  # the repository
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.json"


def load_manifest() -> dict:
    return YAML(typ="safe", pure=True).load((ROOT / "manifest.yml").read_text())


@pytest.mark.skipif(not SCHEMA.exists(), reason=f"Slack's manifest schema is not at {SCHEMA}")
def test_manifest_matches_slack_schema():
    jsonschema.validate(load_manifest(), json.loads(SCHEMA.read_text()))


def test_manifest_declares_what_the_app_uses():
    manifest = load_manifest()
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == ["/stretch"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "im:write", "users:read", "dnd:read"} <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"]
    assert manifest["features"]["app_home"]["home_tab_enabled"]
