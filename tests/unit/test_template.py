"""What template.yaml promises about throttles, encryption, concurrency and the processor, read from the file."""

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


def test_concurrency_caps_guard_the_amocrm_budget():
    assert TEMPLATE.resources["CatchUpFunction"]["Properties"]["ReservedConcurrentExecutions"] == 1
    (event,) = TEMPLATE.resources["WorkerFunction"]["Properties"]["Events"].values()
    assert int(resolve(event["Properties"]["ScalingConfig"]["MaximumConcurrency"])) >= 2


def test_every_checkov_skip_gives_its_reason():
    for name, resource in TEMPLATE.resources.items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert skip["id"].startswith("CKV_") and len(skip.get("comment", "")) > 20, name
