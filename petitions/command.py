"""The command line's one style, for `petitionmap` and every `python -m` entry point: an error is one line on
stderr starting "error:", never a traceback; exit status 1 for bad input, 2 for bad usage."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

BAD_INPUT = 1  # the arguments parse, but what they name is wrong (no such petition, folder, interval…)
USAGE = 2  # the arguments themselves are wrong (unknown option, missing or conflicting ones)


class Parser(argparse.ArgumentParser):
    """Argument errors as one line, exit status 2, no usage dump."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see --help)", file=sys.stderr)
        sys.exit(USAGE)


def fail(message: str, status: int = BAD_INPUT) -> int:
    """Say what is wrong in one line on stderr; returns the exit status."""
    print(f"error: {message.splitlines()[0] if message else 'failed'}", file=sys.stderr)
    return status
