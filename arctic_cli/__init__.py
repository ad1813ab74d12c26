"""arctic: Snowflake Arctic's dense-MoE architecture as a command-line tool for SQL, code and chat."""

__version__ = "0.1.0"
