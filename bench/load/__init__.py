"""`make load`: a bounded Locust run against a local stack started for it (see run.py)."""
