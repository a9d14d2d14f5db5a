"""Reporting services: every change of reporting data goes through here and is audited."""
