"""Scheduled nudges: planning slots, claiming them, checking availability and delivering."""
