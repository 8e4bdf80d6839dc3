"""What the tests (and `bench/`) are built from, never tests themselves: the fake Slack Web API,
Slack-shaped signed requests, a WSGI server on loopback, Slack's Block Kit limits, and helpers
for driving and reading the app."""
