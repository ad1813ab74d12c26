"""Execution-accuracy evaluation behind `arctic eval`."""
