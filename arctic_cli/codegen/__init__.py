"""Code generation: extraction of code blocks, syntax checks and the repair loop."""
