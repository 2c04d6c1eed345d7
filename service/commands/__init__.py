"""Entry points above everything else: the CLI commands, `make run`'s process manager, the demo seed."""
