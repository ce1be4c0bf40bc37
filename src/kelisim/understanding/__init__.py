"""Understanding a text: what a document means for interethnic relations, and why.

Modules: ``events`` (the event taxonomy), ``tension`` (the tension score and its evidence),
``attitude`` (attitude toward an ethnic group, trained on RuEthnoHate) with ``features``.
Import from them directly; this package imports nothing, so loading one part loads no other.
"""
