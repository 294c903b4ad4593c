"""What the program does, in wings by feature (see docs/ARCHITECTURE.md). No Qt here.

Every call is one unit of work with its own short session (``db.writing()``
or ``db.reading()``) and returns plain data, never a live ORM object.
"""
