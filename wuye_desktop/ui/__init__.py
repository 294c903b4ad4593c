"""The window people sit in front of. Talks to services only, never to a database session."""
