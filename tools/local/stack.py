"""`make run`: the whole of Shobbak on this machine, in the foreground, until Ctrl-C.

Starts a moto server process (the AWS emulation), deploys infra/resources.yaml into its
CloudFormation, then `chalice local --stage local` pointed at it, and the portal, built by
portal_site/build.py and served with the API under /v1/ as the template's CloudFront distribution
serves them (tools/local/portal_server.py). Stops every process it started when interrupted or when
any of them dies.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.services.catalogue import current_catalogue
from portal_site.build import build as build_portal
from tools import PROJECT
from tools.local.resources import deploy_resources
from tools.local.staff_pool import local_pool_environment, set_up_local_pool
from tools.local.staff_token import local_signing_key

STAGE = "local"
REGION = "eu-central-1"
PORTAL_BUILD = PROJECT / "portal_site" / "build"
READY_TIMEOUT_S = 60
# Paymob's checkout, which the portal's CSP lets a card payment's form leave for (infra/portal.yaml):
# here the gateway simulator stands in for it.
DEPLOYED_CARD_GATEWAY = "https://accept.paymob.com"


@dataclass(frozen=True)
class Ports:
    aws: int = 5000
    api: int = 8000
    portal: int = 8080
    gateways: int = 8090
    inbox: int = 8070


def local_aws_environment(aws_port: int) -> dict[str, str]:
    """What every process of the stack needs to talk to the moto server and nothing else."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{aws_port}",
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",  # noqa: S106 - moto accepts any credentials
        AWS_DEFAULT_REGION=REGION,
        SHOBBAK_STAGE=STAGE,
        PYTHONUNBUFFERED="1",
    )
    return environment


def start(command: list[str], environment: dict[str, str], *, log: Path | None = None) -> subprocess.Popen[bytes]:
    """`command` in a process of its own, its output in `log` (or the terminal's)."""
    # Each child leads its own process group so that stopping it also stops what it spawned
    # (chalice local's reloader runs the server in a grandchild).
    if log is None:
        return subprocess.Popen(command, cwd=PROJECT, env=environment, start_new_session=True)
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=PROJECT, env=environment, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )


def wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a loopback URL of our own
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered {url} within {READY_TIMEOUT_S} s")


def local_stage_variables() -> dict[str, str]:
    """.chalice/config.json's variables for the local stage, which chalice local applies itself."""
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"][STAGE]["environment_variables"]}


def start_aws(
    aws_port: int, environment: dict[str, str], processes: list[subprocess.Popen[bytes]], *, log: Path | None = None
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """The AWS emulation on `aws_port`, with infra/resources.yaml deployed into it (the tables, the
    topic, the bucket) and infra/staff-pool.yaml's staff pool with its local accounts
    (tools/local/staff_pool.py), and the pool's keys written where `make token` and the tests read them.
    Its process is added to `processes` as soon as it starts, for the caller to stop; returned with
    the deployed outputs, the staff pool's `StaffTokenJwksUrl` among them."""
    aws = start(
        [sys.executable, "-m", "tools.local.emulation.server", "--port", str(aws_port)],
        {**environment, **local_pool_environment()},
        log=log,
    )
    processes.append(aws)
    wait_until_answering(f"http://127.0.0.1:{aws_port}/moto-api/", aws)

    def client(service: str) -> Any:
        return boto3.client(
            service, endpoint_url=environment["AWS_ENDPOINT_URL"], region_name=REGION,
            aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106 - moto accepts any credentials
        )  # fmt: skip

    outputs = deploy_resources(client("cloudformation"), STAGE, client("s3"))
    active = [district.code for district in current_catalogue().districts() if district.active]
    pool = set_up_local_pool(client("cognito-idp"), active)
    local_signing_key()
    return aws, {**outputs, "StaffTokenJwksUrl": pool.jwks_url(environment["AWS_ENDPOINT_URL"])}


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(ports: Ports, portal_dir: Path = PORTAL_BUILD, autoreload: bool = True) -> int:
    environment = local_aws_environment(ports.aws)
    processes: list[subprocess.Popen[bytes]] = []

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        # Quiet: the message relay asks it something every two seconds, and each would be a line.
        _, tables = start_aws(ports.aws, environment, processes, log=Path(os.devnull))
        catalogue = current_catalogue()

        # As behind CloudFront, the portal and the API share one origin, the portal server's, which
        # sends the API's paths on to chalice local: the forms post to "/v1/…" (as built for `make
        # publish`), and the API's pages and S3's redirects back name the portal server.
        api_url, portal_url = f"http://127.0.0.1:{ports.api}", f"http://127.0.0.1:{ports.portal}"
        gateways_url = f"http://127.0.0.1:{ports.gateways}"
        # Card checkouts go to the local Paymob of the gateway simulator, which pays them back.
        api_environment = {
            **environment,
            "PORTAL_BASE_URL": portal_url,
            "API_BASE_URL": portal_url,
            "PAYMOB_API_BASE": f"{gateways_url}/paymob",
            "PAYMOB_INTEGRATION_ID": "1",
            "PAYMOB_IFRAME_ID": "1",
            "DOCUMENTS_BUCKET": tables["DocumentsBucketName"],
            # As deployed, the API reads the staff pool's keys from its JWKS URL (.chalice/config.json
            # names the pool's issuer and client, the same on every run).
            "STAFF_TOKEN_JWKS_URL": tables["StaffTokenJwksUrl"],
        }
        # chalice local restarts on any new or changed file in the project (a .pyc, a screenshot), dropping
        # requests in flight: tests turn that off.
        reload = [] if autoreload else ["--no-autoreload"]
        # chalice local, answering as API Gateway does what it answers itself (tools/local/api_gateway.py).
        api = start(
            [sys.executable, "-m", "tools.local.api_gateway", "local", "--stage", STAGE, "--host", "127.0.0.1",
             "--port", str(ports.api), *reload],
            api_environment,
        )  # fmt: skip
        processes.append(api)
        gateways = start(
            # Fawry and Paymob call back through the distribution, as they do the deployed stack.
            [sys.executable, "-m", "tools.local.gateway_simulator", "--port", str(ports.gateways),
             "--api-url", portal_url, "--portal-url", portal_url],
            environment,
        )  # fmt: skip
        processes.append(gateways)
        inbox = start(
            [sys.executable, "-m", "tools.local.message_inbox", "--port", str(ports.inbox),
             "--aws-url", environment["AWS_ENDPOINT_URL"],
             "--whatsapp-events-topic", tables["WhatsAppEventsTopicArn"]],
            # The inbox delivers the messages, and answers End User Messaging Social's calls itself.
            {**environment, "VOICE_CALLS_TOPIC_ARN": tables["VoiceCallsTopicArn"], "SMS_SENDER_ID": "Shobbak",
             "WHATSAPP_PHONE_NUMBER_ID": "phone-number-id-local",
             "AWS_ENDPOINT_URL_SOCIALMESSAGING": f"http://127.0.0.1:{ports.inbox}"},
        )  # fmt: skip
        processes.append(inbox)
        # S3 sends no events here and GuardDuty is not emulated: this process delivers both.
        scanner = start(
            [sys.executable, "-m", "tools.local.document_scanner", "--bucket", tables["DocumentsBucketName"]],
            {**api_environment, **local_stage_variables()},
        )
        processes.append(scanner)
        # Built while the processes above start up (each imports the application first): the figures
        # feeder publishes into the build, and the portal server serves it.
        build_portal(portal_dir, "", settings().rollout_phase, cairo_today(datetime.now(UTC)))
        # The requests table's stream into the performance figures, and their daily jobs (issue 9).
        processes.append(
            start([sys.executable, "-m", "tools.local.figures_feeder", "--portal-dir", str(portal_dir)], environment)
        )
        portal = start(
            [sys.executable, "-m", "tools.local.portal_server", "--port", str(ports.portal),
             "--directory", str(portal_dir), "--api-url", api_url, "--stage", STAGE, "--region", REGION,
             "--stand-in", f"{DEPLOYED_CARD_GATEWAY}={gateways_url}"],
            environment,
        )  # fmt: skip
        processes.append(portal)
        wait_until_answering(f"http://127.0.0.1:{ports.api}/v1/districts", api)
        wait_until_answering(f"http://127.0.0.1:{ports.portal}/", portal)
        wait_until_answering(f"http://127.0.0.1:{ports.gateways}/", gateways)
        wait_until_answering(f"http://127.0.0.1:{ports.inbox}/", inbox)

        active = [district.name_en for district in catalogue.districts() if district.active]
        resources = [name for key, name in tables.items() if key != "StaffTokenJwksUrl"]
        print(
            "\nShobbak is running (Ctrl-C stops everything):\n"
            f"  AWS emulation (moto server)  http://127.0.0.1:{ports.aws}   dashboard: /moto-api/\n"
            f"  API (chalice local)          http://127.0.0.1:{ports.api}   try: /v1/districts\n"
            f"  Portal (as CloudFront)       http://127.0.0.1:{ports.portal}   and the API under /v1/\n"
            f"  Payment gateways (simulated) http://127.0.0.1:{ports.gateways}   Fawry and Paymob\n"
            f"  Message inbox (SMS, voice, WhatsApp) http://127.0.0.1:{ports.inbox}\n"
            f"  Resources: {', '.join(sorted(name.rsplit(':', 1)[-1] for name in resources))}, "
            "the staff pool shobbak-local-staff\n"
            f"  Catalogue: {len(catalogue.districts())} units ({', '.join(active)} open), "
            f"{len(catalogue.services(on=cairo_today(datetime.now(UTC))))} services\n"
            f"  Office console               {portal_url}/v1/console/   e.g. officer.dokki@staff.shobbak.local,\n"
            "    password LOCAL_STAFF_PASSWORD (docs/office-console.md), code: make totp USER=<email>\n"
            "  Staff token: make token ROLE=officer DISTRICT=dokki  (roles: clerk, officer, manager, hq)\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("A process of the stack stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping Shobbak...", flush=True)
        return 0
    finally:
        stop(processes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws-port", type=int, default=Ports.aws)
    parser.add_argument("--api-port", type=int, default=Ports.api)
    parser.add_argument("--portal-port", type=int, default=Ports.portal)
    parser.add_argument("--gateways-port", type=int, default=Ports.gateways)
    parser.add_argument("--inbox-port", type=int, default=Ports.inbox)
    parser.add_argument("--portal-build-dir", type=Path, default=PORTAL_BUILD, help="where the portal is built")
    parser.add_argument("--no-autoreload", action="store_true", help="keep the API running when files change")
    arguments = parser.parse_args()
    return run(
        Ports(
            aws=arguments.aws_port,
            api=arguments.api_port,
            portal=arguments.portal_port,
            gateways=arguments.gateways_port,
            inbox=arguments.inbox_port,
        ),
        arguments.portal_build_dir,
        autoreload=not arguments.no_autoreload,
    )


if __name__ == "__main__":
    sys.exit(main())
