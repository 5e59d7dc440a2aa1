"""Shobbak's API: wiring only. The work lives in chalicelib/ (docs/architecture.md says its layers)."""

from chalice import Chalice

from chalicelib.api.routes.citizen import citizen_api
from chalicelib.api.routes.console import console
from chalicelib.api.routes.console_counter import console_counter
from chalicelib.api.routes.console_office import console_office
from chalicelib.api.routes.deliveries import deliveries
from chalicelib.api.routes.description import description_api
from chalicelib.api.routes.document_events import document_events
from chalicelib.api.routes.documents import documents_api
from chalicelib.api.routes.figures import figures_api
from chalicelib.api.routes.figures_screen import figures_screen_api
from chalicelib.api.routes.office import office_api
from chalicelib.api.routes.open311 import open311_api
from chalicelib.api.routes.payments import payments_api
from chalicelib.api.routes.portal_pages import portal_api
from chalicelib.api.routes.preferences import preferences_api
from chalicelib.api.routes.schedules import scheduled
from chalicelib.api.routes.staff_access import staff_access
from chalicelib.api.routes.startup import EVERY_INVOCATION
from chalicelib.observability.http import log_each_request

# Chalice names its logger after the app, which is the service's own logger (observability/logs.py):
# left to configure it, Chalice adds a plain-text handler and sets ERROR whenever the handler it
# finds was bound to another sys.stdout (pytest's capture), silencing the service's INFO lines.
app = Chalice(app_name="shobbak", configure_logs=False)
app.register_blueprint(staff_access)  # the staff token, before the office routes behind it
app.register_blueprint(citizen_api)
app.register_blueprint(office_api)
app.register_blueprint(portal_api)
app.register_blueprint(payments_api)
app.register_blueprint(scheduled)
app.register_blueprint(preferences_api)
app.register_blueprint(deliveries)
app.register_blueprint(documents_api)
app.register_blueprint(document_events)
app.register_blueprint(description_api)
app.register_blueprint(open311_api)
app.register_blueprint(figures_api)
app.register_blueprint(figures_screen_api)
app.register_blueprint(console)
app.register_blueprint(console_counter)
app.register_blueprint(console_office)
# The stage checked again and the invocation traced, as in every event function (api/routes/startup.py).
for middleware in EVERY_INVOCATION:
    app.register_middleware(middleware, "all")
app.register_middleware(log_each_request, "http")
