"""The built-in default checkpoint ships here as package data (models/default/)."""
