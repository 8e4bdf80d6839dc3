"""The app's parts together, in process: services, jobs and ticks through the container against a
real database (SQLite, or PostgreSQL with TEST_DATABASE_URL), with the fake Slack as the Web API —
and the fake Slack itself. No signed requests to the app."""
