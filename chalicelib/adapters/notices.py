"""What every payment gateway adapter raises for a notice it cannot trust."""


class UnverifiedNotice(Exception):
    """The notice does not prove it came from the gateway; the reason is for the logs only."""
