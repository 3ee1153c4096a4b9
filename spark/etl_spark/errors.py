"""Errors the job reports to the caller as one line (they name the input, the rule and what
to do), as opposed to Spark's own stack traces."""


class InputError(Exception):
    """The input file is refused as a whole (docs/pipeline-spec.md, Input); no table changes."""
