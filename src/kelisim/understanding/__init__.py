"""Understanding a text: what a document means for interethnic relations, and why.

Modules: ``understand`` (the Understander that runs the rest on a reading), ``relevance``,
``event`` (event type, place, date, past references) with ``dates`` and ``taxonomy`` (the event
types), ``attitude`` (attitude toward each group, trained on RuEthnoHate) with ``features`` and
``training``, ``hostility``, ``tension``; ``model`` holds the records they return.
Import from them directly; this package imports nothing, so loading one part loads no other.
"""
