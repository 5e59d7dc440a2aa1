"""Deploys infra/resources.yaml, the one definition of Shobbak's tables, into CloudFormation.

The local stack deploys it into the moto server, the tests into moto in process: both get
exactly the tables that AWS gets, built by CloudFormation from the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RESOURCES_TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "resources.yaml"


def deploy_resources(cloudformation: Any, stage: str) -> dict[str, str]:
    """Creates the stack for `stage` and returns its outputs (logical name to value)."""
    stack_name = f"shobbak-{stage}-resources"
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=RESOURCES_TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
    )
    cloudformation.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
