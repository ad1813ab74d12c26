"""`python -m arctic_cli` runs the same entry point as the `arctic` script."""

from arctic_cli.cli import main

if __name__ == "__main__":
    main()
