"""The app from outside, as Slack and operators reach it: signed requests through the real WSGI
app (served on loopback, or called as WSGI), the OAuth pages, the gunicorn server, and real
`python -m bot` processes."""
