"""Comprehensive supervision: the double-random draw and, later, its registries."""
