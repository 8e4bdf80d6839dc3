"""Use cases: what the listeners and the scheduler ask for, in plain Python."""
