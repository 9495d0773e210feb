"""boto3 against `pzr emulator`: a second client nobody here wrote.

Usage: python3 boto3_emulator.py ENDPOINT_URL
The emulator runs with --manual-clock: its time moves only when this script
advances it, so no status depends on how fast the machine is.
Exits non-zero (with a traceback) on any mismatch; prints "boto3 ok" on success.
"""
import json
import sys
import urllib.request

import boto3
from botocore.config import Config


def advance_clock(endpoint, ms):
    """POST /_emulator/clock: moves the emulator's manual clock by `ms`."""
    request = urllib.request.Request(
        endpoint + "/_emulator/clock",
        data=json.dumps({"advanceMs": ms}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    # Straight to the emulator on localhost, whatever proxy is configured.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request) as response:
        return json.load(response)["nowMs"]


def wait_active(describe, advance):
    """Advances the clock until ACTIVE, checking the statuses seen on the way."""
    for _ in range(100):
        resource = describe()
        if resource["status"] == "ACTIVE":
            return resource
        assert resource["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS"), resource
        advance()
    raise AssertionError("never became ACTIVE")


def main(endpoint):
    client = boto3.client(
        "personalize",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIAPZREMULATOR00000",
        aws_secret_access_key="pzr-emulator-has-no-secrets",
        config=Config(retries={"max_attempts": 1}),
    )
    schema = json.dumps({
        "type": "record", "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "USER_ID", "type": "string"},
                   {"name": "ITEM_ID", "type": "string"},
                   {"name": "TIMESTAMP", "type": "long"}],
        "version": "1.0",
    })
    schema_arn = client.create_schema(name="py-clicks", schema=schema)["schemaArn"]
    group = client.create_dataset_group(
        name="py-group", tags=[{"tagKey": "pzr:stack", "tagValue": "py"}])
    group_arn = group["datasetGroupArn"]
    assert group_arn == "arn:aws:personalize:us-east-1:111122223333:dataset-group/py-group", group_arn

    try:
        client.create_dataset(name="py-interactions", datasetGroupArn=group_arn,
                              schemaArn=schema_arn, datasetType="Interactions")
        raise AssertionError("CreateDataset before ACTIVE must fail")
    except client.exceptions.ResourceInUseException:
        pass

    now = advance_clock(endpoint, 0)
    assert advance_clock(endpoint, 50) == now + 50
    step = lambda: advance_clock(endpoint, 50)
    wait_active(lambda: client.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"], step)

    dataset_arn = client.create_dataset(
        name="py-interactions", datasetGroupArn=group_arn,
        schemaArn=schema_arn, datasetType="Interactions")["datasetArn"]
    described = wait_active(lambda: client.describe_dataset(datasetArn=dataset_arn)["dataset"], step)
    assert described["schemaArn"] == schema_arn
    assert described["creationDateTime"].year >= 2024

    for i in range(5):
        client.create_schema(name=f"py-extra-{i}", schema=schema)
    pages = list(client.get_paginator("list_schemas").paginate(PaginationConfig={"PageSize": 2}))
    names = [s["name"] for page in pages for s in page["schemas"]]
    assert len(pages) == 3 and names[0] == "py-clicks" and len(names) == 6, (len(pages), names)

    tags = client.list_tags_for_resource(resourceArn=group_arn)["tags"]
    assert tags == [{"tagKey": "pzr:stack", "tagValue": "py"}], tags

    try:
        client.delete_dataset_group(datasetGroupArn=group_arn)
        raise AssertionError("deleting a group with datasets must fail")
    except client.exceptions.ResourceInUseException:
        pass
    try:
        client.describe_schema(schemaArn="arn:aws:personalize:us-east-1:111122223333:schema/none")
        raise AssertionError("missing schema must fail")
    except client.exceptions.ResourceNotFoundException:
        pass

    client.delete_dataset(datasetArn=dataset_arn)
    # The clock stands still: the deletion is pending until it moves.
    status = client.describe_dataset(datasetArn=dataset_arn)["dataset"]["status"]
    assert status == "DELETE PENDING", status
    print("boto3 ok")


if __name__ == "__main__":
    main(sys.argv[1])
