"""Text utilities shared by the pipeline stages."""
