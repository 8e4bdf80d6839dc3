"""Pure tests: no database, no Slack (real or fake), no HTTP — rules, parsing, rendering, pacing
math, the Home tab's refresh queue, the configuration and the manifest."""
