"""Training pipeline for the built-in model: data generator, tokenizer, trainer, export."""
