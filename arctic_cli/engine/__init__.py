"""The Arctic runtime: model, loading, quantization, generation. Imports neither typer nor rich."""
