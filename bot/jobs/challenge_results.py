"""Posting the results of each ended challenge, once.

Ending a challenge (`bot.services.challenges.finish_challenge`) writes its results row in the
same transaction; this step claims and posts it the way challenge days are posted
(`bot.jobs.claimed_sends`). Posting after the challenge is marked ended, a crash in between once
lost the results; now the row waits for its lease to run out and is posted then — after looking
for itself in the channel's history, by the row id its message carries in metadata, so a crash
between posting and recording it does not post the results twice either.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.blocks.challenge import results_message
from bot.db.challenges import days_posted, info_of, standings_of
from bot.db.languages import language_of_post
from bot.db.models import Challenge, ChallengeResult
from bot.domain.challenges import results
from bot.domain.i18n import speaking
from bot.jobs.claimed_sends import ClaimedSends, Outcome
from bot.jobs.send_failures import SendFailure
from bot.slack.posting import CannotPost, post_in_channel, tagged

METADATA_EVENT = "stretch_challenge_results"
# Uninstalled: look again later (the results of a challenge wait for the workspace to return).
WORKSPACE_RETRY = timedelta(hours=1)

_RESULTS_TO_POST = select(ChallengeResult, Challenge).join(
    Challenge, Challenge.id == ChallengeResult.challenge_id
)


class ChallengeResults(ClaimedSends):
    """A tick step: posts the results of each ended challenge once."""

    name = "challenge results"
    model = ChallengeResult

    def run(self) -> Counter[str]:
        return self._send_due(_RESULTS_TO_POST, self._guarded_post)

    def _guarded_post(self, result: ChallengeResult, challenge: Challenge) -> Outcome:
        return self._guarded(result, challenge.workspace_id, self._post, result, challenge)

    def _post(self, result: ChallengeResult, challenge: Challenge) -> Outcome:
        client = self._client_for(challenge.workspace_id)
        found = self._found(result, client, challenge.channel_id, METADATA_EVENT, "result_id")
        if found:
            return self._finish(result, "posted", ts=found, posted_at=self._clock.now())
        with self._sessions() as session:
            info, standings = info_of(session, challenge), standings_of(session, challenge.id)
            posted_days = days_posted(session, challenge.id)
            language = language_of_post(session, challenge.language, challenge.workspace_id)
        with speaking(language):
            message = results_message(info, results(standings, posted_days), posted_days)
        try:
            posted = self._paced_post(
                result,
                challenge.workspace_id,
                challenge.channel_id,
                lambda: post_in_channel(
                    client,
                    challenge.channel_id,
                    message,
                    metadata=tagged(METADATA_EVENT, "result_id", result.id),
                ),
            )
        except CannotPost as cannot:
            return self._finish(result, "failed", str(cannot))
        if isinstance(posted, Outcome):
            return posted
        return self._finish(result, "posted", ts=posted["ts"], posted_at=self._clock.now())

    def _workspace_refused(self, result: ChallengeResult, note: str) -> Outcome:
        return self._finish(result, "pending", note, due_at=self._clock.now() + WORKSPACE_RETRY)

    def _refused(self, result: ChallengeResult, failure: SendFailure) -> Outcome:
        return self._retry(result, failure.note)
