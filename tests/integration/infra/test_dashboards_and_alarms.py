"""The operators' dashboards and the service-level alarms, read from the packaged template: every
business metric the code writes is on a screen, every district can be chosen, and every alarm the
runbook explains exists and is on the health dashboard."""

from __future__ import annotations

import json
import re
from typing import Any

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.observability.metrics import DIMENSION, GOVERNORATE, Metric
from tests.conftest import PROJECT

SLO_ALARMS = ("api-5xx-rate", "api-latency-p99", "function-errors", "lambda-throttles", "dead-letters",
              "sms-failures", "sms-delivery", "overdue-growth")  # fmt: skip


def dashboard(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A dashboard's body as CloudWatch will read it, with every ${...} given a stand-in value."""
    text = template["Resources"][name]["Properties"]["DashboardBody"]["Fn::Sub"]
    return json.loads(re.sub(r"\$\{[^}]+\}", "x", text))


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: resource for name, resource in template["Resources"].items()
            if resource["Type"] == "AWS::CloudWatch::Alarm"}  # fmt: skip


def test_every_business_metric_is_on_the_governorate_dashboard_under_its_dimension(template: dict[str, Any]) -> None:
    widgets = dashboard(template, "GovernorateDashboard")["widgets"]
    searches = " ".join(line[0]["expression"] for widget in widgets if widget["type"] == "metric"
                        for line in widget["properties"]["metrics"])  # fmt: skip

    shown = {(dimension, name) for schema, names in re.findall(r"\{Shobbak/[^,]+,(\w+),service\}([^']*)", searches)
             for dimension in [schema] for name in re.findall(r'MetricName="(\w+)"', names)}  # fmt: skip

    assert shown == {(DIMENSION[metric], metric.value) for metric in Metric}


def test_the_district_dashboard_offers_every_unit_of_the_catalogue(template: dict[str, Any]) -> None:
    body = dashboard(template, "DistrictDashboard")
    (variable,) = body["variables"]
    offered = {value["value"] for value in variable["values"]}

    assert variable["property"] == "District"
    assert offered == {district.code for district in load_catalogue(99).districts()}
    for widget in body["widgets"]:
        for metric in widget["properties"]["metrics"]:
            if isinstance(metric[0], str):
                assert metric[2:4] == ["District", variable["defaultValue"]]


def test_the_health_dashboard_watches_the_api_functions_tables_messages_and_dead_letters(
    template: dict[str, Any],
) -> None:
    body = json.dumps(dashboard(template, "HealthDashboard"))
    text = template["Resources"]["HealthDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]

    for namespace in ("AWS/ApiGateway", "AWS/Lambda", "AWS/DynamoDB", "AWS/SNS", "AWS/SQS"):
        assert namespace in body, namespace
    for alarm in alarms(template):
        assert f"${{{alarm}.Arn}}" in text, alarm


def test_each_service_level_objective_has_its_alarm_and_the_runbook_says_what_to_do(template: dict[str, Any]) -> None:
    names = {alarm["Properties"]["AlarmName"]["Fn::Sub"] for alarm in alarms(template).values()}
    runbook = (PROJECT / "docs" / "runbook.md").read_text(encoding="utf-8")

    for slo in SLO_ALARMS:
        assert f"shobbak-${{Stage}}-{slo}" in names, slo
    for name in names:
        assert f"`{name.replace('${Stage}', '$STAGE')}`" in runbook, name


def alerts_in_the_code() -> set[str]:
    """Every `"alert": "<name>"` a log line of the deployed code can carry."""
    sources = [PROJECT / "app.py", *(PROJECT / "chalicelib").rglob("*.py")]
    alert = re.compile(r'"alert":\s*"(\w+)"')
    return {name for source in sources for name in alert.findall(source.read_text(encoding="utf-8"))}


def test_every_alert_the_code_logs_is_counted_and_raises_an_alarm(template: dict[str, Any]) -> None:
    filters = [resource["Properties"] for resource in template["Resources"].values()
               if resource["Type"] == "AWS::Logs::MetricFilter"]  # fmt: skip
    alarmed = {alarm["Properties"].get("MetricName") for alarm in alarms(template).values()}

    alerts = alerts_in_the_code()

    assert "document_scan_failed" in alerts  # the search finds what the code logs
    for alert in alerts:
        counted = [f["MetricTransformations"][0]["MetricName"] for f in filters if f'"{alert}"' in f["FilterPattern"]]
        assert counted, f"no metric filter counts the alert {alert}"
        assert set(counted) <= alarmed, f"the alert {alert} is counted but raises no alarm"


def test_the_overdue_alarm_reads_the_governorate_total_the_code_writes(template: dict[str, Any]) -> None:
    overdue = alarms(template)["OverdueGrowthAlarm"]["Properties"]["Metrics"][0]["MetricStat"]["Metric"]

    assert overdue["MetricName"] == Metric.OVERDUE_OPEN.value
    assert {"Name": "District", "Value": GOVERNORATE} in overdue["Dimensions"]
