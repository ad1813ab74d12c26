"""Text-to-SQL: schema loading, prompting, validation, repair, transpiling and read-only execution."""

# Repairs after the first answer (`arctic sql --max-repairs`, `arctic eval sql`, chat's /sql).
# Held-out valid SQL with the built-in model: 58.8% (2), 66.0% (4), 68.0% (6); mean latency
# 0.51 / 0.77 / 0.92 s. Kept here, not in `task`, so the CLI can show it without importing sqlglot.
MAX_REPAIRS = 4

# Beam width of the local model's SQL answers (`arctic sql --beams`; 1 = greedy). The search keeps
# the likeliest whole queries, scored by the model's own probabilities, so a path the schema
# constraint forced through tokens the model found unlikely loses to one it likes (stop 14,
# built-in model, 4 repairs, against greedy: tuning suite correct / valid 57.6 / 87.5% ->
# 56.2 / 96.5%, held-out 3.1 / 70.1% -> 3.1 / 92.8%; docs/decisions.md).
BEAMS = 4
