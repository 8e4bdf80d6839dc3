"""Channel-wide challenges: a daily exercise posted in a channel, Done buttons, a leaderboard."""
