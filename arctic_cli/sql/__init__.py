"""Text-to-SQL: schema loading, prompting, validation, repair, transpiling and read-only execution."""
