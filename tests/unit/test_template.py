"""What template.yaml promises about throttles, encryption, concurrency and the processor, read from the file."""

from devstack.template import ROOT as TEMPLATE_ROOT
from devstack.template import Resolver, Template

TEMPLATE = Template()
DEFAULTS = TEMPLATE.parameter_defaults()
resolve = Resolver(DEFAULTS, {}, {})


def _stage_throttles() -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    props = TEMPLATE.resources["HttpApi"]["Properties"]
    default = {k: int(v) for k, v in resolve(props["DefaultRouteSettings"]).items()}
    routes = {key: {k: int(v) for k, v in resolve(limits).items()} for key, limits in props["RouteSettings"].items()}
    return default, routes


def test_the_hook_route_takes_bursts_of_a_thousand_hooks_across_accounts():
    _, routes = _stage_throttles()
    hook = routes["POST /dp/hook"]
    assert hook["ThrottlingBurstLimit"] >= 1000
    assert hook["ThrottlingRateLimit"] >= 1000


def test_widget_routes_keep_tighter_limits_of_their_own():
    default, routes = _stage_throttles()
    hook = routes["POST /dp/hook"]
    template_routes = {f"{r.method} {r.path}" for r in TEMPLATE.routes()}
    assert set(routes) <= template_routes, "a route setting names no route of the API"
    widget = [key for key in template_routes if key.split(" ", 1)[1].startswith(("/widget/", "/copies"))]
    assert widget
    for key in widget:
        limits = routes.get(key, default)
        assert limits["ThrottlingBurstLimit"] < hook["ThrottlingBurstLimit"], key
        assert limits["ThrottlingRateLimit"] < hook["ThrottlingRateLimit"], key


def test_the_template_builds_for_arm64_unless_told_otherwise():
    assert DEFAULTS["Architecture"] == "arm64"
    assert resolve(TEMPLATE.data["Globals"]["Function"]["Architectures"]) == ["arm64"]
    layer = TEMPLATE.resources["SharedLayer"]
    assert resolve(layer["Properties"]["CompatibleArchitectures"]) == ["arm64"]
    assert resolve(layer["Metadata"]["BuildArchitecture"]) == "arm64"
    assert all("Architectures" not in fn["Properties"] for fn in TEMPLATE.of_type("AWS::Serverless::Function").values())


def test_tables_with_tokens_are_encrypted_with_the_stacks_rotated_key_which_every_function_may_use():
    key = TEMPLATE.resources["TablesKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain", "retained tables would be unreadable without their key"
    for table in ("AccountsTable", "PresetsTable", "JobsTable", "IdempotencyTable"):
        sse = TEMPLATE.resources[table]["Properties"]["SSESpecification"]
        assert sse["SSEType"] == "KMS" and sse["KMSMasterKeyId"] == {"Fn::GetAtt": ["TablesKey", "Arn"]}, table
    use = {"Ref": "TablesKeyUse"}
    for name, fn in TEMPLATE.of_type("AWS::Serverless::Function").items():
        props = fn["Properties"]
        policies = props.get("Policies") or TEMPLATE.resources[props["Role"]["Fn::GetAtt"][0]]["Properties"].get(
            "ManagedPolicyArns", []
        )
        assert use in policies, name


def test_queues_are_encrypted_at_rest():
    for name, queue in TEMPLATE.of_type("AWS::SQS::Queue").items():
        props = queue["Properties"]
        assert props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props, name


def test_concurrency_caps_guard_the_amocrm_budget_without_reserving_account_capacity_by_default():
    # New AWS accounts often have no unreserved capacity to spare: any reservation fails their deploy.
    reserved = TEMPLATE.resources["CatchUpFunction"]["Properties"]["ReservedConcurrentExecutions"]
    condition, value, otherwise = reserved["Fn::If"]
    assert value == {"Ref": "CatchUpReservedConcurrency"} and otherwise == {"Ref": "AWS::NoValue"}
    assert DEFAULTS["CatchUpReservedConcurrency"] == ""
    assert TEMPLATE.data["Conditions"][condition] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "CatchUpReservedConcurrency"}, ""]}]
    }
    (event,) = TEMPLATE.resources["WorkerFunction"]["Properties"]["Events"].values()
    assert int(resolve(event["Properties"]["ScalingConfig"]["MaximumConcurrency"])) >= 2


# ---------------------------------------------------------------- alarms that arrive

ALARMS = TEMPLATE.of_type("AWS::CloudWatch::Alarm")
FUNCTIONS = TEMPLATE.of_type("AWS::Serverless::Function")
CLOUDWATCH_NEEDS = {"kms:Decrypt", "kms:GenerateDataKey*"}


def _logical(ref: object) -> str:
    assert isinstance(ref, dict) and len(ref) == 1, f"not a reference to a resource of the template: {ref!r}"
    ((kind, arg),) = ref.items()
    assert kind in ("Ref", "Fn::GetAtt"), ref
    return arg if kind == "Ref" else arg[0]


def _cloudwatch_may_use(key: dict) -> bool:
    """Whether the key policy lets CloudWatch alarms encrypt for the topic (a statement names the service)."""
    for statement in key["Properties"]["KeyPolicy"]["Statement"]:
        services = (statement.get("Principal") or {}).get("Service", [])
        services = [services] if isinstance(services, str) else services
        actions = statement.get("Action", [])
        actions = {actions} if isinstance(actions, str) else set(actions)
        allowed = actions >= CLOUDWATCH_NEEDS or "kms:*" in actions
        if statement.get("Effect") == "Allow" and "cloudwatch.amazonaws.com" in services and allowed:
            return True
    return False


def test_every_alarm_publishes_to_a_topic_whose_key_cloudwatch_may_use():
    assert ALARMS
    for name, alarm in ALARMS.items():
        actions = alarm["Properties"].get("AlarmActions") or []
        assert actions, f"{name} notifies nobody"
        for action in actions:
            topic = TEMPLATE.resources[_logical(action)]
            assert topic["Type"] == "AWS::SNS::Topic", name
            key_id = topic["Properties"].get("KmsMasterKeyId")
            if key_id is None:
                continue  # an unencrypted topic: CloudWatch can publish
            assert not isinstance(key_id, str), f"{name}: its topic uses {key_id}, whose policy CloudWatch is not in"
            key = TEMPLATE.resources[_logical(key_id)]
            assert key["Type"] == "AWS::KMS::Key", name
            assert _cloudwatch_may_use(key), f"{name}: its topic's key does not let cloudwatch.amazonaws.com use it"


def test_the_alarm_topic_key_check_fails_for_the_aws_managed_key_and_for_a_key_without_cloudwatch():
    key = TEMPLATE.resources["AlarmTopicKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert _cloudwatch_may_use(key)
    (cloudwatch,) = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    assert cloudwatch["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    # the check above must be able to fail: the tables' key does not let CloudWatch in
    assert not _cloudwatch_may_use(TEMPLATE.resources["TablesKey"])


def _alarms_on(namespace: str, metric: str) -> dict[str, dict]:
    return {
        n: a
        for n, a in ALARMS.items()
        if a["Properties"]["Namespace"] == namespace and a["Properties"]["MetricName"] == metric
    }


def _dimension(alarm: dict, name: str) -> object:
    return next(d["Value"] for d in alarm["Properties"]["Dimensions"] if d["Name"] == name)


def test_every_function_has_an_errors_and_a_throttles_alarm():
    for metric in ("Errors", "Throttles"):
        watched = {_logical(_dimension(a, "FunctionName")) for a in _alarms_on("AWS/Lambda", metric).values()}
        assert watched == set(FUNCTIONS), metric


def test_every_queue_has_an_age_and_a_depth_alarm():
    for metric in ("ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"):
        watched = {_logical(_dimension(a, "QueueName")) for a in _alarms_on("AWS/SQS", metric).values()}
        assert watched == set(TEMPLATE.of_type("AWS::SQS::Queue")), metric


def test_the_catch_up_alarm_fires_before_its_timeout():
    (alarm,) = [a for a in _alarms_on("AWS/Lambda", "Duration").values()]
    assert _logical(_dimension(alarm, "FunctionName")) == "CatchUpFunction"
    timeout_ms = TEMPLATE.function_timeout("CatchUpFunction") * 1000
    assert alarm["Properties"]["Threshold"] == 0.8 * timeout_ms


def test_custom_metric_alarms_watch_metrics_the_code_emits():
    layer = TEMPLATE_ROOT / "layers" / "dealcopy" / "dealcopy"
    code = "\n".join(p.read_text(encoding="utf-8") for p in layer.rglob("*.py"))
    custom = {n: a for n, a in ALARMS.items() if a["Properties"]["Namespace"] == "AmoDealCopy"}
    names = {a["Properties"]["MetricName"] for a in custom.values()}
    assert {"AmoRateLimited", "AmoRateLimitWait", "RefreshRefused", "RetiredKeyHooks"} <= names
    for name, alarm in custom.items():
        metric = alarm["Properties"]["MetricName"]
        assert f'name="{metric}"' in code, f"{name}: nothing emits {metric}"
        # powertools publishes every metric with the `service` dimension
        assert alarm["Properties"]["Dimensions"] == [{"Name": "service", "Value": "dealcopy"}], name


def test_the_hook_routes_errors_are_alarmed_with_its_detailed_route_metrics():
    hook = _alarms_on("AWS/ApiGateway", "4xx") | _alarms_on("AWS/ApiGateway", "5xx")
    assert len(hook) == 2
    for alarm in hook.values():
        assert (_dimension(alarm, "Method"), _dimension(alarm, "Resource")) == ("POST", "/dp/hook")
    route = TEMPLATE.resources["HttpApi"]["Properties"]["RouteSettings"]["POST /dp/hook"]
    assert route["DetailedMetricsEnabled"] is True


def test_one_dashboard_shows_every_function_and_queue():
    (dashboard,) = TEMPLATE.of_type("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    for name in FUNCTIONS:
        assert f"${{{name}}}" in body, name
    for name in TEMPLATE.of_type("AWS::SQS::Queue"):
        assert f"${{{name}.QueueName}}" in body, name
    for metric in ("AmoRateLimited", "AmoRateLimitWait", "RefreshRefused", "Throttles", "Duration", "5xx"):
        assert f'"{metric}"' in body, metric


def test_every_checkov_skip_gives_its_reason():
    for name, resource in TEMPLATE.resources.items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert skip["id"].startswith("CKV_") and len(skip.get("comment", "")) > 20, name
