"""Spark baseline of the clickstream pipeline (see docs/pipeline-spec.md)."""
