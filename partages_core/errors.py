"""User-facing errors: the CLI prints their message on one line and exits 2."""


class PartagesError(Exception):
    """An error caused by the user's input (file, field, argument), not by a bug."""


class InputError(PartagesError, ValueError):
    """Bad input: the message names the file, line or field and the reason."""
