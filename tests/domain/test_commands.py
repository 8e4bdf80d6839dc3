from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.help import help_message
from bot.blocks.message import escape
from bot.domain.commands import SUBCOMMANDS, ParsedCommand, parse
from bot.listeners.commands import AFTER_ACK, HANDLERS


def test_empty_text_asks_for_an_exercise():
    assert parse("") == ParsedCommand("")
    assert parse("   ") == ParsedCommand("")


def test_known_subcommands_case_insensitive():
    assert parse("list") == ParsedCommand("list")
    assert parse("  HELP ") == ParsedCommand("help")


def test_other_words_are_a_search():
    assert parse("lower   back") == ParsedCommand("search", argument="lower back")
    assert parse("hamstring") == ParsedCommand("search", argument="hamstring")


def test_subcommand_without_argument_refuses_extra_words():
    parsed = parse("list everything")
    assert parsed.name == "help"
    assert "/stretch list" in parsed.error


def test_punctuation_only_is_an_error():
    assert parse("???").error is not None


def test_very_long_text_is_an_error():
    assert parse("a" * 500).error is not None


def test_help_mentions_every_subcommand_escaped_for_mrkdwn():
    text = help_message().text
    for subcommand in SUBCOMMANDS:
        assert escape(subcommand.usage) in text
    assert "<" not in text and ">" not in text  # `<words>` would be read as a link


@given(st.text())
def test_any_text_parses_to_a_known_handler(text):
    assert parse(text).name in HANDLERS.keys() | AFTER_ACK.keys()
