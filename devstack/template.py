"""Reads template.yaml (CloudFormation short tags included) so the local stack cannot drift from it."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ten times faster
    """SafeLoader that turns `!Ref x` into {"Ref": x} and `!Sub s` into {"Fn::Sub": s}, etc."""


def _tag(loader: _CfnLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _tag)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as data, a copy of its own: parsed once per file version (a test's moto fixture builds
    the stack again and again; a copy costs a tenth of a parse)."""
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))


@functools.cache
def _parsed(path: Path, version: int) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str  # logical id

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", self.path)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
        return re.compile(f"^{regex}$")


class Template:
    """Typed views of the parts of template.yaml the local stack needs."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data or load_template()
        self.resources: dict[str, dict[str, Any]] = self.data["Resources"]

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        return {name: res for name, res in self.resources.items() if res["Type"] == type_name}

    def parameter_defaults(self) -> dict[str, str]:
        return {name: str(p["Default"]) for name, p in self.data.get("Parameters", {}).items() if "Default" in p}

    def routes(self) -> list[Route]:
        routes = []
        for name, fn in self.of_type("AWS::Serverless::Function").items():
            for event in (fn["Properties"].get("Events") or {}).values():
                if event["Type"] == "HttpApi":
                    props = event["Properties"]
                    routes.append(Route(props["Method"].upper(), props["Path"], name))
        return routes

    def function_handler(self, logical_id: str) -> tuple[Path, str]:
        """(code directory, "module.attribute") of a function."""
        props = self.resources[logical_id]["Properties"]
        return ROOT / props["CodeUri"], props["Handler"]

    def function_property(self, logical_id: str, name: str, default: Any = None) -> Any:
        """A function's property, else the template's `Globals.Function` value (as SAM merges them)."""
        props = self.resources[logical_id]["Properties"]
        if name in props:
            return props[name]
        return self.data.get("Globals", {}).get("Function", {}).get(name, default)

    def function_timeout(self, logical_id: str) -> float:
        return float(self.function_property(logical_id, "Timeout", 3))

    def function_environment(self, logical_id: str, resolve: Callable[[Any], Any]) -> dict[str, str]:
        glob = self.data.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
        own = self.resources[logical_id]["Properties"].get("Environment", {}).get("Variables", {})
        return {k: str(resolve(v)) for k, v in {**glob, **own}.items()}


class Resolver:
    """Resolves Ref/Sub/GetAtt/Join with local values: parameters, physical ids, attributes."""

    def __init__(self, params: dict[str, str], physical: dict[str, str], attrs: dict[str, str]) -> None:
        self.params = params
        self.physical = physical
        self.attrs = attrs

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                return self.attrs[".".join(arg)]
            if key == "Fn::Sub":
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), arg)
            if key == "Fn::Join":
                sep, parts = arg
                return sep.join(str(self(p)) for p in parts)
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        return value

    def _ref(self, name: str) -> str:
        if name in self.params:
            return self.params[name]
        return self.physical[name]

    def _sub(self, name: str) -> str:
        return self.attrs[name] if "." in name else self._ref(name)
