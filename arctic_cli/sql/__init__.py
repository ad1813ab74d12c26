"""Text-to-SQL: schema loading, prompting, validation, repair, transpiling and read-only execution."""

# Repairs after the first answer (`arctic sql --max-repairs`, `arctic eval sql`, chat's /sql).
# Held-out valid SQL with the built-in model: 58.8% (2), 66.0% (4), 68.0% (6); mean latency
# 0.51 / 0.77 / 0.92 s. Kept here, not in `task`, so the CLI can show it without importing sqlglot.
MAX_REPAIRS = 4
