"""A one-pass deploy: the redirect URI the stack knows only once its API exists reaches the functions."""

from __future__ import annotations

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters

from dealcopy import wiring
from dealcopy.config import settings
from devstack.template import Resolver, Template

TEMPLATE = Template()


@pytest.fixture
def fresh_settings(monkeypatch):
    settings.cache_clear()
    parameters.clear_caches()
    yield monkeypatch
    settings.cache_clear()
    parameters.clear_caches()


def test_functions_are_told_the_name_of_the_parameter_the_stack_writes_the_redirect_uri_to():
    resolve = Resolver({"AWS::StackName": "st"}, {}, {})
    written = resolve(TEMPLATE.resources["RedirectUriParameter"]["Properties"]["Name"])
    told = TEMPLATE.data["Globals"]["Function"]["Environment"]["Variables"]["REDIRECT_URI_PARAMETER"]
    assert resolve(told) == written == "/st/redirect-uri"  # a name, not a reference: no circular dependency
    value = TEMPLATE.resources["RedirectUriParameter"]["Properties"]["Value"]["Fn::If"]
    assert value[0] == "HasCustomRedirectUri" and value[1] == {"Ref": "AmoRedirectUri"}
    assert value[2]["Fn::Sub"] == "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/oauth/callback"
    assert TEMPLATE.data["Outputs"]["RedirectUri"]["Value"] == {"Fn::GetAtt": ["RedirectUriParameter", "Value"]}
    assert TEMPLATE.parameter_defaults()["AmoRedirectUri"] == ""  # nothing to know before the first deploy


def test_without_a_redirect_uri_the_functions_read_the_stacks_parameter(aws, fresh_settings):
    api_address = "https://abc123.execute-api.eu-central-1.amazonaws.com/oauth/callback"
    boto3.client("ssm").put_parameter(Name="/unit/redirect-uri", Value=api_address, Type="String")
    fresh_settings.setenv("REDIRECT_URI", "")
    fresh_settings.setenv("REDIRECT_URI_PARAMETER", "/unit/redirect-uri")
    assert wiring.redirect_uri() == api_address


def test_a_redirect_uri_given_outright_wins_and_reads_nothing(aws, fresh_settings):
    fresh_settings.setenv("REDIRECT_URI", "https://copy.example.com/oauth/callback")
    fresh_settings.setenv("REDIRECT_URI_PARAMETER", "/unit/no-such-parameter")
    assert wiring.redirect_uri() == "https://copy.example.com/oauth/callback"
