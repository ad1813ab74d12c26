"""Side-by-side speed and memory comparisons (not tests)."""
