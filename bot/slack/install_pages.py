"""The pages a person sees in their browser while installing the app (distribution mode): the
"Add to Slack" page, and the page after Slack sends them back, installed or not.

They are Bolt's own pages (same markup, same English), with their words translated like every
other text a person reads. `install_flow` wires them into the OAuth flow Bolt runs.
"""

from __future__ import annotations

import html

from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.redirect_uri_page_renderer import RedirectUriPageRenderer

from bot.domain.i18n import _, language_of_browser, speaking

_STYLE = """<style>
body {
  padding: 10px 15px;
  font-family: verdana;
  text-align: center;
}
</style>"""

_ADD_TO_SLACK = "https://platform.slack-edge.com/img/add_to_slack"


class TranslatedRedirectPages(RedirectUriPageRenderer):
    """The page Slack's redirect lands on: thanks and a way back into Slack, or what failed."""

    def render_success_page(
        self,
        app_id: str,
        team_id: str | None,
        is_enterprise_install: bool | None = None,
        enterprise_url: str | None = None,
    ) -> str:
        url = self.success_url
        if url is None:
            if is_enterprise_install is True and enterprise_url is not None and app_id is not None:
                url = f"{enterprise_url}manage/organization/apps/profile/{app_id}/workspaces/add"
            elif team_id is None or app_id is None:
                url = "slack://open"
            else:
                url = f"slack://app?team={team_id}&id={app_id}"
        browser_url = f"https://app.slack.com/client/{team_id}"
        back = _(
            'Redirecting to the Slack App... click <a href="{url}">here</a>. If you use the '
            'browser version of Slack, click <a href="{browser_url}" target="_blank">this '
            "link</a> instead.",
            url=html.escape(url),
            browser_url=html.escape(browser_url),
        )
        thanks = _("Thank you!")  # not inside the f-string: Babel would not extract it there
        return (
            "\n<html>\n<head>\n"
            f'<meta http-equiv="refresh" content="0; URL={html.escape(url)}">\n'
            f"{_STYLE}\n</head>\n<body>\n"
            f"<h2>{thanks}</h2>\n<p>{back}</p>\n</body>\n</html>\n"
        )

    def render_failure_page(self, reason: str) -> str:
        advice = _(
            'Please try again from <a href="{install_path}">here</a> or contact the app owner '
            "(reason: {reason})",
            install_path=html.escape(self.install_path),
            reason=html.escape(reason),
        )
        oops = _("Oops, Something Went Wrong!")
        return (
            f"\n<html>\n<head>\n{_STYLE}\n</head>\n<body>\n"
            f"<h2>{oops}</h2>\n<p>{advice}</p>\n</body>\n</html>\n"
        )


class TranslatedOAuthFlow(OAuthFlow):
    """Bolt's OAuth flow, whose pages speak the browser's language (its Accept-Language)."""

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        with speaking(_browser_language(request)):
            return super().handle_installation(request)

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        with speaking(_browser_language(request)):
            return super().handle_callback(request)

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        add_to_slack, heading = _("Add to Slack"), _("Slack App Installation")
        image = (
            f'<img alt="{html.escape(add_to_slack)}" height="40" width="139" '
            f'src="{_ADD_TO_SLACK}.png" '
            f'srcset="{_ADD_TO_SLACK}.png 1x, {_ADD_TO_SLACK}@2x.png 2x" />'
        )
        return (
            '<html>\n<head>\n<link rel="icon" href="data:,">\n'
            f"{_STYLE}\n</head>\n<body>\n"
            f"<h2>{heading}</h2>\n"
            f'<p><a href="{html.escape(url)}">{image}</a></p>\n</body>\n</html>\n'
        )


def _browser_language(request: BoltRequest) -> str:
    header = request.headers.get("accept-language") or [""]
    return language_of_browser(header[0])


def install_flow(settings: OAuthSettings) -> OAuthFlow:
    """The OAuth flow for `settings`, with the translated pages."""
    settings.redirect_uri_page_renderer = TranslatedRedirectPages(
        install_path=settings.install_path,
        redirect_uri_path=settings.redirect_uri_path,
        success_url=settings.success_url,
        failure_url=settings.failure_url,
    )
    return TranslatedOAuthFlow(settings=settings)
