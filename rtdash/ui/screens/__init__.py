"""Screens: dashboard, lookup, help, welcome."""
