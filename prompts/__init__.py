"""Prompt templates, shipped as package data (arctic_cli.prompts)."""
