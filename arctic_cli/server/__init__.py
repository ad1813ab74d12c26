"""The OpenAI-compatible HTTP server behind `arctic serve`."""
