"""Every number the capacity model starts from, with where it comes from.

`basis` says how far to trust each one:
  * "source": read from a document named in `source` (this repository's own, or public);
  * "recalled": a public figure as remembered, not read again here (this machine reaches no
    web site): check it before relying on it;
  * "guess": a stated guess, to be replaced by the governorate's own figures.
The message prices (SMS, voice, WhatsApp) were looked for on AWS's and Meta's own pricing pages on
PRICES_LOOKED_UP, through a search of stored public pages (this machine browses no web site): what
was found, and where, is in each one's `source`; what was not found stays a guess and says so.
The model (demand.py, costs.py) and the hot-key simulation (hotkeys.py) use nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_DATE = "2026-11-30"  # the day these prices were written down for the model
PRICES_LOOKED_UP = "2026-12-07"  # the day the message prices were looked for (issue 25)
AWS_MESSAGING_PRICES = "https://aws.amazon.com/end-user-messaging/pricing/"
META_WHATSAPP_PRICES = "https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing"


@dataclass(frozen=True)
class Assumption:
    value: float
    unit: str
    basis: str  # "source", "recalled" or "guess"
    source: str


def guess(value: float, unit: str, why: str) -> Assumption:
    return Assumption(value, unit, "guess", why)


def recalled(value: float, unit: str, where: str) -> Assumption:
    return Assumption(value, unit, "recalled", where)


def sourced(value: float, unit: str, where: str) -> Assumption:
    return Assumption(value, unit, "source", where)


GOVERNORATE_POPULATION = sourced(9_500_000, "residents", "DOMAIN.md (Giza Governorate, about 9.5 million)")

# Residents per unit, in thousands. Giza's units differ in size by an order of magnitude; these
# are rough orders (the 2017 census as remembered), scaled so that they add up to the
# governorate's total. Replace with CAPMAS's table per unit.
_UNIT_THOUSANDS = {
    "dokki": 110, "agouza": 300, "omraniya": 700, "haram": 1000, "talbiya": 600,
    "bulaq_dakrur": 1100, "south_giza": 300, "warraq": 900, "imbaba": 900, "munira_gharbiya": 450,
    "awsim": 400, "kerdasa": 400, "abu_numrus": 400, "hawamdiya": 300, "badrashin": 500,
    "ayyat": 500, "saff": 400, "atfih": 300, "manshaat_qanatir": 300, "bahariya": 40,
}  # fmt: skip
UNIT_POPULATION_SHARE = {
    code: guess(thousands / sum(_UNIT_THOUSANDS.values()), "share of residents",
                "rough order of each unit's size (2017 census as remembered), normalised")
    for code, thousands in _UNIT_THOUSANDS.items()
}  # fmt: skip

# Applications a year per 1,000 residents, by service (the catalogue's codes).
APPLICATIONS_PER_1000_A_YEAR = {
    "building_violation_reconciliation": guess(
        15.0, "applications / 1,000 residents / year",
        "about 2.8 million applications nationwide under the 2019 reconciliation law (recalled press "
        "figure, 2021) over ~105 million people and ~2 years is ~13; Giza, with much informal building, "
        "taken above the national rate"),
    "shop_licence": guess(3.0, "applications / 1,000 residents / year",
                          "one shop per ~60 residents, licences every ~5 years"),
    "road_occupancy_new": guess(1.0, "applications / 1,000 residents / year", "a third of shops ask once"),
    "road_occupancy_renewal": guess(2.0, "applications / 1,000 residents / year", "yearly renewals of those"),
    "demolition_licence": guess(0.2, "applications / 1,000 residents / year", "old buildings liable to collapse"),
    "utility_connection": guess(4.0, "applications / 1,000 residents / year", "old buildings' meters"),
    "building_permit": guess(2.0, "applications / 1,000 residents / year", "new floors and buildings"),
}  # fmt: skip

WORKING_DAYS_A_YEAR = sourced(
    245, "days", "52 weeks of 5 days (Friday and Saturday off) less ~15 public holidays (domain/data/holidays.json)"
)
PEAK_DAY_FACTOR = guess(
    5.0,
    "× an average working day",
    "the last days before a reconciliation deadline (queues at the centres were reported then) or after "
    "the Eid holidays; no office figures seen",
)
RECONCILIATION_PAGE_SECONDS = guess(
    0.1, "s per 1 MB Query page", "the reconciliation reads its day's ledger one page after another"
)
SWEEP_EVERY_SECONDS = sourced(300, "s", "chalicelib/services/notifications.py: the sweeper every 5 minutes")
# Share of a day's requests in each Cairo hour (0..23). Offices are open 09:00 to 15:00; the
# portal is used from morning to late evening, most in the late morning.
HOURLY_SHARE = {
    hour: guess(share, "share of the day", "offices 09-15 Sun-Thu, portal from morning to midnight")
    for hour, share in enumerate(
        [0.004, 0.002, 0.001, 0.001, 0.001, 0.002, 0.006, 0.015, 0.040, 0.090, 0.120, 0.125,
         0.115, 0.100, 0.085, 0.060, 0.045, 0.040, 0.040, 0.038, 0.030, 0.020, 0.012, 0.008]
    )
}  # fmt: skip
GROWTH_FACTOR = sourced(10, "× the derived peak", "issue 15: the simulation and the model at 10× today's peak")

# What each application brings with it.
PER_APPLICATION = {
    "inquiries": guess(5.0, "inquiries / application", "citizens check the status a few times while waiting"),
    "catalogue_reads": guess(3.0, "API catalogue reads / application",
                             "districts and services read by scripts and other systems; the portal's pages are static"),
    "portal_page_views": guess(12.0, "static page views / application",
                               "home, district, service, form, check, confirmation, track pages, with returns"),
    "payment_notices": guess(1.3, "gateway notices / fee-bearing application",
                             "Fawry and Paymob repeat notices (DOMAIN.md: they arrive more than once)"),
    "card_share": guess(0.3, "share of payments by card", "the rest at Fawry outlets"),
    "queue_pages": guess(3.0, "office queue pages / move", "officers page and refresh before picking work"),
    "request_views": guess(1.2, "office request views / move", "opened before each move, sometimes twice"),
    "voice_share": guess(0.05, "share of citizens who choose voice calls", "older or unlettered citizens"),
    "opt_out_share": guess(0.05, "share of citizens who choose no messages", "notify_by = none"),
    "whatsapp_share": guess(0.5, "share of citizens who choose WhatsApp (its mix only)",
                            "issue 25's case: half the citizens on WhatsApp, which most Egyptians read before SMS; "
                            "Shobbak has no figure of its own yet"),
    "whatsapp_fallback_share": guess(0.10, "share of WhatsApp messages that fall back to SMS",
                                     "numbers not on WhatsApp, phones off past the wait, failures; not measured yet"),
}  # fmt: skip
# What a fee-bearing application cost before issue 25 cut the messages, the figure its targets are
# measured against (70% with all SMS, 35% with half on WhatsApp).
COST_PER_APPLICATION_BEFORE = sourced(
    1.09, "USD / application", "docs/capacity.md before issue 25 (commit 8c2eb73): today's mix, $0.25 a part"
)
# The path of an application through the office after payment (shares of applications).
OUTCOMES = {
    "approved": guess(0.85, "share", "most complete applications are approved"),
    "needs_info": guess(0.10, "share", "asked once for a missing document, then approved"),
    "rejected": guess(0.05, "share", "refused, then closed"),
}

# Prices (USD), for the model's region eu-central-1 (Frankfurt) unless said otherwise.
PRICES = {
    "lambda_gb_second": recalled(0.0000166667, "USD / GB-s", "AWS Lambda pricing, x86, first tier"),
    "lambda_request": recalled(0.20 / 1e6, "USD / request", "AWS Lambda pricing"),
    "api_gateway_request": recalled(3.50 / 1e6, "USD / request", "API Gateway REST API, first 333 million a month"),
    "dynamodb_write_unit": recalled(0.7625 / 1e6, "USD / write request unit",
                                    "DynamoDB on-demand, Frankfurt, after the November 2024 price cut"),
    "dynamodb_read_unit": recalled(0.1525 / 1e6, "USD / read request unit", "DynamoDB on-demand, Frankfurt"),
    "dynamodb_storage_gb_month": recalled(0.306, "USD / GB-month", "DynamoDB standard table class, Frankfurt"),
    "dynamodb_pitr_gb_month": recalled(0.2448, "USD / GB-month", "DynamoDB continuous backups, Frankfurt"),
    "sms_part_egypt": guess(0.25, "USD / SMS part",
                            f"NOT FOUND on {PRICES_LOOKED_UP}: AWS's price list for Egypt ({AWS_MESSAGING_PRICES}, "
                            "which SNS's SMS pricing also points to: SNS sends SMS through End User Messaging) "
                            "is a per-country table the search reached no copy of; only the billing pages "
                            "(usage type OutboundSMS-EG, billed per part) were found. Egypt is among the dearest "
                            "A2P destinations; a 2026 third-party plan quotes USD 0.3959 a message through Twilio. "
                            "Still a guess: read the Egypt row of that page before use"),
    "voice_minute_egypt": guess(0.10, "USD / minute",
                                f"NOT FOUND on {PRICES_LOOKED_UP}: AWS End User Messaging voice to Egyptian mobiles "
                                f"({AWS_MESSAGING_PRICES}, the voice tab): no copy of the table was reached"),
    "voice_minutes_per_call": guess(1.0, "minutes / call", "a ~40 s message is billed as a whole minute"),
    "whatsapp_utility_egypt": guess(0.0036, "USD / delivered utility template",
                                    f"Meta's own rate card NOT READ on {PRICES_LOOKED_UP}: its pricing page "
                                    f"({META_WHATSAPP_PRICES}) was found (per delivered template message since "
                                    "2025-07-01, by category and the recipient's country code; failed or "
                                    "undelivered ones are not charged) but not its rate table. Third-party copies "
                                    "of the card: AED 0.0132 for Egypt utility effective 2026-10-01 (Meta's AED "
                                    "card transcribed in huggingface.co/datasets/tobachat/whatsapp-api-rates), "
                                    "USD 0.0036 at the AED's peg of 3.6725; older copies say USD 0.0057 "
                                    "(help.eazybe.com/pt/waba/pricing, undated) before Meta's October 2025 cut "
                                    "for Egypt"),
    "whatsapp_aws_message": recalled(0.005, "USD / WhatsApp message sent",
                                     f"AWS End User Messaging Social's own fee per message, beside Meta's "
                                     f"(docs.aws.amazon.com/social-messaging/latest/userguide/billing.html names "
                                     f"the two lines, MessageFee and MetaTemplateMessageFee); the figure is "
                                     f"remembered from {AWS_MESSAGING_PRICES}, not read there on {PRICES_LOOKED_UP}"),
    "sns_publish": recalled(0.50 / 1e6, "USD / publish", "SNS requests beyond the free tier (voice topic)"),
    "cloudfront_gb": recalled(0.110, "USD / GB", "CloudFront data out, Middle East, first 10 TB"),
    "cloudfront_request": recalled(0.0125 / 10_000, "USD / HTTPS request", "CloudFront, Middle East"),
    "waf_web_acl_month": recalled(5.0, "USD / web ACL / month", "AWS WAF"),
    "waf_rule_month": recalled(1.0, "USD / rule / month", "AWS WAF"),
    "waf_request": recalled(0.60 / 1e6, "USD / request", "AWS WAF"),
    "cloudwatch_logs_gb": recalled(0.63, "USD / GB ingested", "CloudWatch Logs, Frankfurt"),
}  # fmt: skip
WAF_RULES = sourced(6, "rules", "issue 11: two managed groups and four rate-based rules")

LAMBDA_MEMORY_GB = sourced(0.5, "GB", ".chalice/config.json lambda_memory_size 512")
DYNAMODB_CALL_MS = guess(6.0, "ms per DynamoDB call in-region", "single-digit ms as AWS states for key lookups")
PORTAL_PAGE_BYTES = sourced(
    14_336, "bytes / page view at most", "the portal's 14 KB gzipped budget (docs/architecture.md)"
)
LOG_BYTES_PER_REQUEST = guess(1_200, "bytes / API request", "two JSON lines per request (request handled, outcome)")
HISTORY_ENTRY_BYTES = guess(350, "bytes", "one history entry item, as the simulation measures them")

# DynamoDB's limits per partition (AWS's documented figures).
PARTITION_WRITE_UNITS = sourced(1000, "write units / s", "DynamoDB: per partition")
PARTITION_READ_UNITS = sourced(3000, "read units / s", "DynamoDB: per partition")
HOT_SHARE = sourced(0.5, "of a partition's limits", "issue 15: any key above half gets fixed")
