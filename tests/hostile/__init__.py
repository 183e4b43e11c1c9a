"""Hostile and broken upstream data."""
