"""The local stack builds its AWS resources from template.yaml itself."""

import json

from devstack.template import Template


def test_every_table_of_the_template_exists_with_its_keys_and_ttl(aws):
    for logical, resource in Template().of_type("AWS::DynamoDB::Table").items():
        described = aws.dynamodb.describe_table(TableName=aws.provisioned.physical[logical])["Table"]
        assert described["KeySchema"] == resource["Properties"]["KeySchema"]
        ttl = resource["Properties"].get("TimeToLiveSpecification")
        status = aws.dynamodb.describe_time_to_live(TableName=described["TableName"])["TimeToLiveDescription"]
        if ttl:
            assert status["AttributeName"] == ttl["AttributeName"]
        else:
            assert status["TimeToLiveStatus"] == "DISABLED"


def test_copy_queue_is_fifo_with_redrive_to_a_fifo_dlq(aws):
    queue = aws.provisioned.physical["CopyJobsQueue"]
    attrs = aws.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert queue.endswith(".fifo") and attrs["FifoQueue"] == "true"
    redrive = json.loads(attrs["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == aws.provisioned.attrs["CopyJobsDeadLetterQueue.Arn"]
    assert int(redrive["maxReceiveCount"]) == 5
    assert attrs["VisibilityTimeout"] == "720"


def test_function_environment_resolves_to_local_resources(aws):
    resolve = aws.provisioned.resolver(aws.params)
    env = aws.template.function_environment("WorkerFunction", resolve)
    assert env["ACCOUNTS_TABLE"] == aws.provisioned.physical["AccountsTable"]
    assert env["COPY_QUEUE_URL"] == aws.provisioned.physical["CopyJobsQueue"]
    assert env["CLIENT_SECRET_ID"] == aws.params["ClientSecretName"]
    secret = aws.secrets.get_secret_value(SecretId=env["CLIENT_SECRET_ID"])["SecretString"]
    assert secret == "unit-secret"


def test_routes_of_the_http_api():
    routes = {(r.method, r.path): r.function for r in Template().routes()}
    assert routes[("GET", "/oauth/callback")] == "OAuthFunction"
    assert routes[("GET", "/oauth/uninstall")] == "OAuthFunction"
    assert routes[("GET", "/widget/settings")] == "WidgetSettingsFunction"
    assert routes[("OPTIONS", "/widget/settings")] == "WidgetSettingsFunction"
    assert routes[("POST", "/copies")] == "CopiesFunction"
    assert routes[("POST", "/dp/hook")] == "DpHookFunction"
