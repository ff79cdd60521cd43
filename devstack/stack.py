"""Starts the whole local stack in one process: moto, the amoCRM emulator, the gateway and the SQS poller.

Every handler runs for real with the environment template.yaml gives it; the only
local differences are the AWS endpoint (moto), the amoCRM base URL (the emulator)
and a shorter retry delay for failed queue messages. By default the handlers are the source,
imported into this process; with `built_dir` they are `sam build`'s output, each function in a
process of the runtime-only virtualenv `runtime_python` (devstack/built.py).
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from amo_emulator.server import EmulatorServer, ThreadedAsgiServer
from amo_emulator.state import EmulatorState
from devstack.built import BuiltFunctions
from devstack.event_scheduler import EventScheduler, move_emulator_clock
from devstack.functions import FunctionRegistry
from devstack.gateway import create_gateway
from devstack.http import HTTP
from devstack.idle import IdleProbe, TrackedFunctions
from devstack.moto_server import MotoServer
from devstack.poller import SqsPoller
from devstack.provision import Provisioned, provision
from devstack.scheduler import Scheduler
from devstack.template import Template

REGION = "eu-central-1"


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class StackConfig:
    host: str = "127.0.0.1"
    gateway_port: int = 0
    moto_port: int = 0
    emulator_port: int = 0
    emulator_url: str = ""  # use an emulator that is already running instead of starting one
    moto_url: str = ""  # likewise a moto server (`python -m devstack.moto_server`) already running
    stack_name: str = "dealcopy-local"
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    retry_delay: int = 1
    extra_origins: list[str] = field(default_factory=list)  # e.g. a local widget harness page
    extra_env: dict[str, str] = field(default_factory=dict)
    schedule_interval: float | None = None  # seconds between scheduled runs; None = the template's rate, 0 = never
    built_dir: str = ""  # `sam build --build-dir` output to run instead of the source (for this machine's architecture)
    runtime_python: str = ""  # python of the runtime-only virtualenv that runs the built functions
    # amoCRM's requests per second per account, for the emulator's accounts and our client alike:
    # tests emulate a faster limit (docs/testing.md); the demo and the benchmark keep amoCRM's 7.
    amo_rate: int = 7


class LocalStack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.template = Template()
        self._moto: MotoServer | None = None
        self._emulator: Any = None
        self._gateway: ThreadedAsgiServer | None = None
        self._pollers: list[SqsPoller] = []
        self.scheduler: Scheduler | None = None
        self.event_scheduler: EventScheduler | None = None  # fires moto's EventBridge Scheduler schedules
        self.invocations: TrackedFunctions | None = None
        self.idle: IdleProbe | None = None  # when nothing is in flight (`GET /_devstack/idle`)
        self.provisioned: Provisioned | None = None
        self.functions: FunctionRegistry | BuiltFunctions = FunctionRegistry(self.template)
        self._aws_env: dict[str, str] = {}
        self.gateway_url = ""
        self.emulator_url = ""
        self.moto_url = ""

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> LocalStack:
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> LocalStack:
        cfg = self.config
        if not cfg.moto_url:
            self._moto = MotoServer(cfg.host, cfg.moto_port).start()
        self.moto_url = cfg.moto_url or self._moto.url
        self._aws_environment(self.moto_url)
        gateway_port = cfg.gateway_port or free_port(cfg.host)
        self.gateway_url = f"http://{cfg.host}:{gateway_port}"
        self.emulator_url = cfg.emulator_url or self._start_emulator()
        self._register_integration()
        params = {
            **self.template.parameter_defaults(),
            "AWS::StackName": cfg.stack_name,
            "AmoClientId": cfg.client_id,
            "AmoRedirectUri": f"{self.gateway_url}/oauth/callback",
        }
        self.provisioned = provision(
            self.template,
            dynamodb=self.client("dynamodb"),
            sqs=self.client("sqs"),
            secrets=self.client("secretsmanager"),
            params=params,
            client_secret=cfg.client_secret,
            scheduler=self.client("scheduler"),
            region=REGION,
        )
        os.environ.update(self._function_environment(params))
        if cfg.built_dir:
            self.functions = BuiltFunctions(
                self.template, Path(cfg.built_dir), cfg.runtime_python or sys.executable, self._own_environment(params)
            ).start()
        self.invocations = TrackedFunctions(self.functions)  # what `GET /_devstack/idle` waits for
        self.scheduler = Scheduler(
            self.template, self.invocations.invoke, interval=cfg.schedule_interval, region=REGION
        )
        self.event_scheduler = EventScheduler(
            self.client("scheduler"),
            self.client("sqs"),
            interval=15.0 if cfg.schedule_interval is None else cfg.schedule_interval,
            clock=lambda moment: move_emulator_clock(self.emulator_url, moment),
        )
        self.idle = IdleProbe(
            self.invocations, self.client("sqs"), lambda: [p.queue_url for p in self._pollers], self._emulator_busy()
        )
        gateway_app = create_gateway(self.template, self.invocations, self.scheduler, self.event_scheduler, self.idle)
        self._gateway = ThreadedAsgiServer(gateway_app, cfg.host, gateway_port).start()
        self._start_pollers()
        self.scheduler.start()
        self.event_scheduler.start()
        return self

    def stop(self) -> None:
        if self.scheduler:
            self.scheduler.stop()
        if self.event_scheduler:
            self.event_scheduler.stop()
        for poller in self._pollers:
            poller.stop()
        if self._gateway:
            self._gateway.stop()
        if isinstance(self.functions, BuiltFunctions):
            self.functions.stop()
        if self._emulator:
            self._emulator.stop()
        if self._moto:
            self._moto.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- pieces -------------------------------------------------------------------
    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.moto_url)

    def _aws_environment(self, endpoint: str) -> None:
        self._aws_env = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
        }
        os.environ.update(self._aws_env)

    def _start_emulator(self) -> str:
        state = EmulatorState(default_rate=self.config.amo_rate)
        self._emulator = EmulatorServer(host=self.config.host, port=self.config.emulator_port, state=state).start()
        return self._emulator.url

    def _emulator_busy(self) -> dict[str, Callable[[], bool]]:
        """The emulator started here sends DP hooks from a thread of this process: idle waits for them too."""
        if not self._emulator:
            return {}
        from amo_emulator.dp import dispatcher

        return {"emulator_dp_hooks": lambda: not dispatcher.wait_idle(0)}

    def _register_integration(self) -> None:
        HTTP.post(
            f"{self.emulator_url}/_emulator/integrations",
            json={
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "redirect_uri": f"{self.gateway_url}/oauth/callback",
            },
        ).raise_for_status()

    def _function_environment(self, params: dict[str, str]) -> dict[str, str]:
        """Every function's variables in one environment: the source mode runs them all in this process."""
        resolve = self.provisioned.resolver(params)
        env: dict[str, str] = {}
        for name in self.template.of_type("AWS::Serverless::Function"):
            env.update(self.template.function_environment(name, resolve))
        return self._localised(env)

    def _own_environment(self, params: dict[str, str]) -> Callable[[str], dict[str, str]]:
        """Each built function gets only its own variables (and moto's endpoint), as on AWS."""
        resolve = self.provisioned.resolver(params)
        return lambda name: {**self._aws_env, **self._localised(self.template.function_environment(name, resolve))}

    def _localised(self, template_env: dict[str, str]) -> dict[str, str]:
        env = dict(template_env)
        if self.config.extra_origins and "ALLOWED_ORIGINS" in env:
            env["ALLOWED_ORIGINS"] = ",".join([env["ALLOWED_ORIGINS"], *self.config.extra_origins])
        env.update(
            {
                "AMO_BASE_URL_OVERRIDE": self.emulator_url,
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
                # Local differences for copy jobs: the emulator settles a create at once, the catch-up
                # may look at events of this very second, and tests may inject worker crashes.
                "JOB_SETTLE_SECONDS": "1",
                "MANUAL_SETTLE_SECONDS": "0.5",
                "CATCHUP_GRACE_SECONDS": "0",
                "TEST_SEAMS": "true",
                "AMO_RATE_LIMIT": str(self.config.amo_rate),
                **self.config.extra_env,
            }
        )
        return env

    def _start_pollers(self) -> None:
        sqs = self.client("sqs")
        for name, fn in self.template.of_type("AWS::Serverless::Function").items():
            for event in (fn["Properties"].get("Events") or {}).values():
                if event["Type"] != "SQS":
                    continue
                queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]

                def invoke(ev: dict[str, Any], fn_name: str = name) -> Any:
                    return self.invocations.invoke(fn_name, ev)

                poller = SqsPoller(
                    sqs,
                    self.provisioned.physical[queue],
                    invoke,
                    batch_size=int(event["Properties"].get("BatchSize", 10)),
                    retry_delay=self.config.retry_delay,
                    region=REGION,
                )
                self._pollers.append(poller.start())

    def describe(self) -> dict[str, Any]:
        """What a test, the demo or a person needs to talk to the stack (local secrets only)."""
        return {
            "gateway_url": self.gateway_url,
            "emulator_url": self.emulator_url,
            "moto_url": self.moto_url,
            "region": REGION,
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "redirect_uri": f"{self.gateway_url}/oauth/callback",
            "physical": dict(self.provisioned.physical) if self.provisioned else {},
        }
