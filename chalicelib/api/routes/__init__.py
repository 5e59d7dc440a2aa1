"""The Chalice blueprints: each area's routes and event handlers, wired together in app.py."""
