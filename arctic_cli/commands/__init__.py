"""One thin module per command: parse flags, call a task module, render the result."""
